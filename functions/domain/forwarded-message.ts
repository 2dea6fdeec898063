import { normaliseAddress } from './mailbox.ts';
import type { ForwardedMessage, Mailbox, ParsedEmail } from './model.ts';
import { type DateLocale, dateLocales, findDate, readDate } from './text-dates.ts';

type Field = 'from' | 'date' | 'to' | 'cc' | 'subject' | 'other';
type Language = DateLocale;

/**
 * The labels mail clients write in a forwarded header block, lower-cased, with the field each
 * names and the languages that write it (which decide how an ambiguous date such as 03/02/2026 is
 * read). "Other" labels belong to the block but are not read.
 */
const labels: Record<string, { field: Field; languages: Language[] }> = {
  from: { field: 'from', languages: ['en'] },
  von: { field: 'from', languages: ['de'] },
  de: { field: 'from', languages: ['fr', 'es'] },
  date: { field: 'date', languages: ['en', 'fr'] },
  sent: { field: 'date', languages: ['en'] },
  datum: { field: 'date', languages: ['de'] },
  gesendet: { field: 'date', languages: ['de'] },
  envoyé: { field: 'date', languages: ['fr'] },
  enviado: { field: 'date', languages: ['es'] },
  'enviado el': { field: 'date', languages: ['es'] },
  fecha: { field: 'date', languages: ['es'] },
  to: { field: 'to', languages: ['en'] },
  an: { field: 'to', languages: ['de'] },
  à: { field: 'to', languages: ['fr'] },
  para: { field: 'to', languages: ['es'] },
  cc: { field: 'cc', languages: [] },
  kopie: { field: 'cc', languages: ['de'] },
  subject: { field: 'subject', languages: ['en'] },
  betreff: { field: 'subject', languages: ['de'] },
  objet: { field: 'subject', languages: ['fr'] },
  asunto: { field: 'subject', languages: ['es'] },
  bcc: { field: 'other', languages: [] },
  'reply-to': { field: 'other', languages: ['en'] },
  'antwort an': { field: 'other', languages: ['de'] },
  'répondre à': { field: 'other', languages: ['fr'] },
  'responder a': { field: 'other', languages: ['es'] },
  importance: { field: 'other', languages: ['en', 'fr'] },
  wichtigkeit: { field: 'other', languages: ['de'] },
  importancia: { field: 'other', languages: ['es'] },
  attachments: { field: 'other', languages: ['en'] },
  anlagen: { field: 'other', languages: ['de'] },
  'pièces jointes': { field: 'other', languages: ['fr'] },
  'datos adjuntos': { field: 'other', languages: ['es'] },
};

/** "From: …", also as Outlook writes bold in plain text ("*From:* …") and with French spacing ("De : …"). */
const labelLine = new RegExp(
  String.raw`^\s*\**\s*(${Object.keys(labels)
    .sort((a, b) => b.length - a.length)
    .join('|')})\s*\**\s*:\s*\**\s*(.*?)\s*$`,
  'iu',
);

/** Separators that say the block below is a forwarded message (Gmail, Thunderbird, Apple Mail). */
const forwardMarkers = [
  /^-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}$/iu,
  /^(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message (?:réexpédié|transféré)|inicio del mensaje reenviado)\s*:$/iu,
];

/**
 * Outlook's separators. Outlook writes the same header block when replying and when forwarding,
 * so a block after one of these (or after none) is a forward only when the subject does not say
 * reply (see isReplySubject).
 */
const originalMarkers = [
  /^-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original)\s*-{2,}$/iu,
  /^_{10,}$/,
];

/** Reply prefixes of a subject (Re, German AW/Antw, Nordic SV, Italian R); FW, WG, TR, RV forward. */
const replyPrefix = /^(?:re|aw|antw|sv|r)$/i;
const subjectPrefix = /^\s*\[?([\p{L}]{1,6})(?:\[\d+\]|\(\d+\))?\s*:/u;

/** Whether the subject's first prefix says reply ("RE: …", "AW: …"), not forward ("FW: RE: …"). */
const isReplySubject = (subject: string) =>
  replyPrefix.test(subjectPrefix.exec(subject)?.[1] ?? '');

/** The verb that ends a reply's attribution ("On …, Ann <ann@x.com> wrote:"), and how it starts. */
const attributionEnd = /(?:wrote|schrieb|a\s+écrit|escribió)\s*:\s*$/iu;
const attributionStart = /^\s*(?:on|am|le|el)\s/iu;

/** Whether lines ending at `end` are a reply's attribution: up to three lines, naming a date or address. */
function isAttribution(lines: string[], end: number): boolean {
  if (!attributionEnd.test(lines[end] ?? '')) return false;
  for (let start = end; start >= Math.max(0, end - 2); start--) {
    const line = lines[start] ?? '';
    if (start < end && !line.trim()) return false;
    if (attributionStart.test(line)) return /\d|@/.test(lines.slice(start, end + 1).join(' '));
  }
  return false;
}

interface HeaderBlock {
  fields: Partial<Record<Field, string>>;
  languages: Language[];
  /** The first line after the block. */
  end: number;
  /** Whether the block and the text below it are quoted with ">" (Apple Mail on iOS). */
  quoted: boolean;
}

const unquote = (line: string) => line.replace(/^\s*>\s?/, '');

/**
 * The header block starting at `start` (blank lines before it skipped when `skipBlank`), up to the
 * first line that is not a header. Continuation lines of To and Cc are kept; the block is null when
 * it holds no header.
 */
function readHeaderBlock(lines: string[], start: number, skipBlank: boolean): HeaderBlock | null {
  let at = start;
  while (skipBlank && at < lines.length && at < start + 2 && !lines[at]?.trim()) at++;
  const quoted = skipBlank && /^\s*>/.test(lines[at] ?? '');
  const fields: Partial<Record<Field, string>> = {};
  const votes = new Map<Language, number>();
  let last: Field | null = null;
  for (; at < lines.length; at++) {
    const line = quoted ? unquote(lines[at] ?? '') : (lines[at] ?? '');
    const header = labelLine.exec(line);
    if (header) {
      const label = labels[(header[1] ?? '').toLowerCase()];
      if (!label) break;
      const value = header[2] ?? '';
      const field = label.field;
      if (field === 'to' || field === 'cc') fields[field] = `${fields[field] ?? ''}, ${value}`;
      else fields[field] ??= value;
      for (const language of label.languages) votes.set(language, (votes.get(language) ?? 0) + 1);
      last = field;
    } else if ((last === 'to' || last === 'cc') && /@|^\s*\S+,/.test(line) && line.trim()) {
      fields[last] = `${fields[last] ?? ''}, ${line}`;
    } else break;
  }
  if (last === null) return null;
  const languages = (['en', 'de', 'fr', 'es'] as const)
    .map((language, order) => ({ language, order, votes: votes.get(language) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.order - b.order)
    .map(({ language }) => language);
  return { fields, languages, end: at, quoted };
}

/**
 * The mailboxes of a written address list: "Name <a@b>", bare "a@b", Outlook's "Name [mailto:a@b]",
 * separated by commas or semicolons. An entry without an address is left out.
 */
export function writtenMailboxes(value: string): Mailbox[] {
  const token =
    /<\s*(?:mailto:)?([^\s<>@]+@[^\s<>]+?)\s*>|\[\s*mailto:([^\s[\]@]+@[^\s[\]]+?)\s*\]|(?:mailto:)?([^\s<>[\](),;:"'*]+@[^\s<>[\](),;:"'*]+)/gi;
  const bySemicolon = value.includes(';');
  const found: Mailbox[] = [];
  let last = 0;
  for (const match of value.matchAll(token)) {
    const written = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\.+$/, '');
    const address = normaliseAddress(written);
    const before = value.slice(last, match.index);
    last = match.index + match[0].length;
    const entry = bySemicolon ? (before.split(';').at(-1) ?? '') : before.replace(/^[\s,]+/, '');
    const name = entry.replace(/^[\s"'*<>,;]+|[\s"'*<>,;]+$/g, '').trim();
    const known = found.find((mailbox) => mailbox.address === address);
    if (known) known.name ||= name;
    else found.push({ address, name: normaliseAddress(name) === address ? '' : name });
  }
  return found;
}

/**
 * A date as a forwarded header block writes it (day, month and year at least; relative dates such
 * as "tomorrow" are no header's date), placed at the offset it names or else in the user's zone.
 */
export function writtenDate(
  value: string,
  timeZone: string,
  languages: readonly Language[] = dateLocales,
): Date | null {
  return readDate(value, timeZone, undefined, languages);
}

/** Whether a written date gives the time to the minute only ("Mon, Nov 9, 2026 at 10:00 AM"). */
export function writtenToTheMinute(value: string, timeZone: string): boolean {
  const found = findDate(value, { timeZone });
  return found !== null && found.hour !== null && found.second === null;
}

function forwardFrom(
  lines: string[],
  block: HeaderBlock,
  _email: ParsedEmail,
  timeZone: string,
): ForwardedMessage {
  const { fields } = block;
  const text = lines
    .slice(block.end)
    .map((line) => (block.quoted ? unquote(line) : line))
    .join('\n')
    .trim();
  return {
    how: 'inline',
    from: writtenMailboxes(fields.from ?? '')[0] ?? null,
    to: writtenMailboxes(fields.to ?? ''),
    cc: writtenMailboxes(fields.cc ?? ''),
    subject: (fields.subject ?? '').trim(),
    date: fields.date ? writtenDate(fields.date, timeZone, block.languages) : null,
    dateToTheMinute: fields.date ? writtenToTheMinute(fields.date, timeZone) : false,
    text,
    messageId: null,
    inReplyTo: [],
    references: [],
    headers: {},
    contentType: 'text/plain',
  };
}

/**
 * The topmost forwarded header block in the text, read the way the clients write it, or null when
 * the text forwards nothing (or quotes a reply above any forward).
 */
function inlineForward(email: ParsedEmail, timeZone: string): ForwardedMessage | null {
  const lines = email.text.normalize('NFC').replace(/\r\n?/g, '\n').split('\n');
  for (let at = 0; at < lines.length; at++) {
    const line = (lines[at] ?? '').trim();
    if (line.startsWith('>')) continue;
    if (isAttribution(lines, at)) return null;
    if (forwardMarkers.some((marker) => marker.test(line))) {
      const block = readHeaderBlock(lines, at + 1, true);
      if (block) return forwardFrom(lines, block, email, timeZone);
    } else if (originalMarkers.some((marker) => marker.test(line))) {
      const block = readHeaderBlock(lines, at + 1, true);
      if (block?.fields.from !== undefined) {
        return isReplySubject(email.subject) ? null : forwardFrom(lines, block, email, timeZone);
      }
    } else if (labels[labelLine.exec(line)?.[1]?.toLowerCase() ?? '']?.field === 'from') {
      // A block without a separator (Outlook) must look like one: From first, then the date and
      // the To or Subject.
      const block = readHeaderBlock(lines, at, false);
      const fields = block?.fields ?? {};
      if (block && fields.date !== undefined && (fields.to ?? fields.subject) !== undefined) {
        return isReplySubject(email.subject) ? null : forwardFrom(lines, block, email, timeZone);
      }
    }
  }
  return null;
}

/**
 * The message the user forwarded: the first attached message (message/rfc822) when there is one,
 * else the topmost forwarded header block in the text (Gmail, Outlook, Apple Mail, Thunderbird; in
 * English, German, French and Spanish). Dates written without an offset are read in `timeZone`.
 * Null when the message forwards nothing; a reply that quotes ("On … wrote:") is not a forward.
 */
export function findForwardedMessage(
  email: ParsedEmail,
  timeZone: string,
): ForwardedMessage | null {
  const attached = email.attachedMessage;
  if (attached) {
    return {
      how: 'attached',
      from: attached.from,
      to: attached.to,
      cc: attached.cc,
      subject: attached.subject,
      date: attached.date,
      dateToTheMinute: false,
      text: attached.text,
      messageId: attached.messageId,
      inReplyTo: attached.inReplyTo,
      references: attached.references,
      headers: attached.headers,
      contentType: attached.contentType,
    };
  }
  return inlineForward(email, timeZone);
}
