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
 * How far into a quoted tail a quote header of email-reply-parser's that starts above it can reach:
 * four line breaks. Each such header ends with one of `headerEnds`.
 */
const quoteHeaderReach = 5;
const headerEnds = /wrote|écrit|escribió|scritto|escreveu|schrieb|kirjoitti|작성/;
/** Quoted lines kept of a cut tail: the first decides how the text above joins the quote. */
const quotedLinesKept = 2;
/** A quoted tail shorter than this is read whole: cutting it would save nothing. */
const shortestTailCut = 12;
/**
 * Quote headers email-reply-parser matches over any number of lines (Dutch, Polish, Danish,
 * Chinese) and one ending in a `>`: with one in the text, it is read whole. So is text with line
 * breaks other than \n, and text with a `$'`: the parser rewrites each header it finds with
 * String.replace, where `$'` stands for all the text after it.
 */
const readWhole = /schreef|pisze|napisał|写道|skrev|г\. в|[\r\u2028\u2029]|\$'/;

/**
 * The part of a text email-reply-parser needs to see, giving the same visible text as the whole.
 * It reads from the bottom and hides every quoted (`>`) line and blank line of a quoted tail; what
 * is above the tail is read the same once its first lines are there (the tail's top quoted line
 * decides how the text above it joins the quote). A long thread quoted below a reply is then not
 * read line by line, reversed, by some 50 patterns (about a millisecond for 7 KB).
 */
export function replyParserInput(text: string): string {
  if (readWhole.test(text)) return text;
  const lines = text.split('\n');
  let tail = lines.length;
  while (tail > 0) {
    const line = lines[tail - 1] as string;
    if (!line.startsWith('>') && line.trim() !== '') break;
    tail--;
  }
  while (tail < lines.length && !(lines[tail] as string).startsWith('>')) tail++;
  const keep = tail + quotedLinesKept;
  if (lines.length - keep < shortestTailCut) return text;
  // No header above the tail may reach into it, as it would join quoted lines to the text above.
  for (let i = tail; i < tail + quoteHeaderReach; i++)
    if (headerEnds.test(lines[i] as string)) return text;
  // A header matched in the tail is rewritten in place, a no-op unless it holds a `$` (a
  // replacement pattern to String.replace).
  for (let i = keep; i < lines.length; i++) if ((lines[i] as string).includes('$')) return text;
  return lines.slice(0, keep).join('\n');
}

/**
 * The text the user wrote in this message: quoted replies and the signature split off.
 * Quote and signature detection is email-reply-parser's (many clients and languages); what it keeps
 * of a starred Outlook header block, a forwarded-message separator or an attribution folded over
 * three lines is cut off here.
 */
export function ownText(text: string): string {
  if (!text.trim()) return '';
  let own = parser.parseReply(replyParserInput(text.replace(/\r\n/g, '\n')));
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
