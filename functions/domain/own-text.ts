import EmailReplyParser from 'email-reply-parser';
import { requestPhrases } from './phrases.ts';

/** The request phrases live with the other phrase lists, in phrases.ts. */
export { requestPhrases };

const parser = new EmailReplyParser();

/**
 * Quote headers email-reply-parser keeps as text: an Outlook header block whose labels are starred
 * (`*From:*` / `*Sent:*`, as Outlook writes bold in plain text), and a forwarded or original message
 * separator. Everything from such a header on is someone else's text.
 */
const headerLabel = String.raw`\*?(?:From|Von|De|Da|Van|Fra|Från)\s?:\*?`;
const sentLabel = String.raw`\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden|Sendt|Skickat)\s?:\*?`;
const outlookBlock = new RegExp(
  String.raw`^[ \t]*${headerLabel}[ \t]+\S.*\n(?:.*\n)?[ \t]*${sentLabel}[ \t]`,
  'im',
);
const separator =
  /^[ \t]*-{2,}[ \t]*(?:Forwarded message|Original Message|Ursprüngliche Nachricht|Weitergeleitete Nachricht|Message d'origine|Message transféré|Mensaje original|Mensaje reenviado)[ \t]*-{2,}[ \t]*$/im;
/**
 * An attribution left at the very end of the text ("On Tue, … <a@b.c> wrote:", "… írta:"): a last
 * paragraph of up to three lines that names a date or an address and ends with the verb and a colon.
 */
const trailingAttribution =
  /(?:^|\n\s*\n)((?:[^\n]+\n){0,2}[^\n]*(?:wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef|skrev|kirjoitti|írta|napisał(?:a|\(a\))?)[ \t]*:)[ \t]*$/i;
const attributionNames = /\d|@/;
/** Rules (----, ____) left above a header that was cut off. */
const trailingRules = /(?:\n[ \t]*[-_=]{5,}[ \t]*)+$/;

/**
 * The text the user wrote in this message: quoted replies and the signature split off.
 * Quote and signature detection is email-reply-parser's (many clients and languages); what it keeps
 * of a starred Outlook header block, a forwarded-message separator or an attribution folded over
 * three lines is cut off here.
 */
export function ownText(text: string): string {
  if (!text.trim()) return '';
  let own = parser.parseReply(text.replace(/\r\n/g, '\n'));
  for (const header of [outlookBlock, separator]) {
    const found = header.exec(own);
    if (found) own = own.slice(0, found.index);
  }
  own = own.trimEnd();
  const attribution = trailingAttribution.exec(own);
  if (attribution && attributionNames.test(attribution[1] ?? ''))
    own = own.slice(0, attribution.index);
  return own.replace(trailingRules, '').trim();
}

/** A URL, without the sentence punctuation that may follow it ("seen https://x.com/a?"). */
const urls = /\b(?:https?:\/\/|www\.)\S*[^\s?.!,;:)\]'"]/gi;

/** Whether the user's own new text asks a question or makes a request. */
export function asksSomething(ownNewText: string): boolean {
  const text = ownNewText.replace(urls, ' ');
  if (/\?/.test(text)) return true;
  return requestPhrases.some((phrase) => phrase.test(text));
}

/** A short snippet of the user's own text, one line, for the records. */
export function snippetOf(ownNewText: string, length = 140): string {
  const line = ownNewText.replace(/\s+/g, ' ').trim();
  if (line.length <= length) return line;
  let cut = line.slice(0, length - 1);
  // Never cut an emoji (a surrogate pair) in half: a lone surrogate is not valid text.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
