/**
 * What counts as quoted in a bare reply body from the reply-quoting corpus, decided independently
 * of email-reply-parser so the two can be compared: every `>` line, and everything below the first
 * quote header (an attribution such as "On … wrote:", or a forwarded/original-message block).
 */

/** Attribution lines in the languages of the corpus, and the separators clients put above a quote. */
const quoteHeaders: readonly RegExp[] = [
  /^On\b.*\bwrote:\s*$/i,
  /^Le\b.*\ba écrit\s*:\s*$/i,
  /^Am\b.*\bschrieb\b.*:\s*$/i,
  /^El\b.*\bescribió:\s*$/i,
  /^Il\b.*\bha scritto:\s*$/i,
  /^(Em|Op)\b.*\b(escreveu|schreef)\b.*:\s*$/i,
  /^Den\b.*\bskrev\b.*:\s*$/i,
  /\bkirjoitti:\s*$/i,
  /\sírta:\s*$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Opprinnelig melding|Oprindelig meddelelse|Alkuperäinen viesti|Исходное сообщение|Forwarded message)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];

/** "From: …" (or its translation) directly followed by a Sent/Date line: an Outlook-style header. */
const headerBlockStart = /^\*?(From|De|Von|Fra|Från|Lähettäjä|От|Da|Van)\s?:\*?\s+\S/i;
const headerBlockNext =
  /^\*?(Sent|Date|Envoyé|Gesendet|Datum|Sendt|Skickat|Lähetetty|Отправлено|Дата|Enviado|Inviato|Verzonden|Data|Envoyé le)\s?:?\*?\s*/i;

/** Whether the lines from `i` (up to three, none blank or quoted) end with `ending`. */
function foldedLineEnds(lines: readonly string[], i: number, ending: RegExp): boolean {
  let joined = '';
  for (let k = i; k < Math.min(i + 3, lines.length); k += 1) {
    const line = (lines[k] ?? '').trim();
    if (!line || (k > i && line.startsWith('>'))) return false;
    joined = `${joined} ${line}`;
    if (ending.test(joined)) return true;
  }
  return false;
}

/** The index of the first quote header of a body's lines; -1 when it has none. */
export function quoteHeaderLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (quoteHeaders.some((header) => header.test(line))) return i;
    if (headerBlockStart.test(line) && headerBlockNext.test((lines[i + 1] ?? '').trim())) return i;
    // An attribution folded over up to three lines ("On Tue, …\nJohn <j@x.com>\nwrote:").
    if (/^On\b/.test(line) && foldedLineEnds(lines, i, /\bwrote:\s*$/)) return i;
    // A bare attribution in any language: a date and an address, ending with a colon.
    if (/\d/.test(line) && foldedLineEnds(lines, i, /@[^\s]*\s?>?\)?\s?(\S+)?:\s*$/)) return i;
  }
  return -1;
}

const squash = (text: string) =>
  text
    .replace(/^[\s>]+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The quoted fragments of a body: each `>` line's text, and (unless `inline`) each line below the
 * first quote header. Short fragments ("Thanks.", a name) are left out: they could be anyone's words.
 */
export function quotedFragments(body: string, options: { inline?: boolean } = {}): string[] {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const fragments = lines.filter((line) => /^\s*>/.test(line)).map(squash);
  const header = options.inline ? -1 : quoteHeaderLine(lines);
  if (header >= 0) fragments.push(...lines.slice(header).map(squash));
  return [...new Set(fragments.filter((fragment) => fragment.length >= 20))];
}

/** Whitespace-insensitive containment, as a one-line snippet would show the text. */
export function containsFragment(text: string, fragment: string): boolean {
  return text.replace(/\s+/g, ' ').includes(fragment);
}
