import { normaliseAddress } from './mailbox.ts';
import type { Attribution } from './model.ts';
import { type DateLocale, dateLocales, findDate, instantOf } from './text-dates.ts';

export { attributionNames } from './attribution-names.ts';

/**
 * "On <date>, <who> wrote:" and its translations, as Gmail, Apple Mail, iOS and Thunderbird write
 * them, read from one to three lines joined. `body` is the date and the sender together, split where
 * the date ends; `date` and `who` are already apart.
 */
const wroteForms: readonly { locale: DateLocale; pattern: RegExp }[] = [
  // "On Tue, 3 Mar 2026 at 10:15, Alice Smith <alice@x.com> wrote:"; Zoho's "---- On … wrote ----"
  { locale: 'en', pattern: /^(?:-{2,}\s*)?On\s+(?<body>.+?)\s+wrote\s*:?(?:\s*-{2,})?$/i },
  // "Am 03.03.2026 um 10:15 schrieb Alice Smith <alice@x.com>:", "Am Di., 3. März 2026 um 10:15 Uhr schrieb …:"
  { locale: 'de', pattern: /^Am\s+(?<date>.+?)\s+schrieb\s+(?<who>.+?)\s*:$/i },
  // Older Thunderbird: "Alice Smith <alice@x.com> schrieb am 03.03.2026 um 10:15:"
  { locale: 'de', pattern: /^(?<who>.+?)\s+schrieb\s+am\s+(?<date>.+?)\s*:$/i },
  // "Le mar. 3 mars 2026 à 10:15, Alice Smith <alice@x.com> a écrit :"
  { locale: 'fr', pattern: /^Le\s+(?<body>.+?)\s+a\s+écrit\s*:$/i },
  // "El mar, 3 mar 2026 a las 10:15, Alice Smith (<alice@x.com>) escribió:"
  { locale: 'es', pattern: /^El\s+(?<body>.+?)\s+escribió\s*:$/i },
];

/** "Alice Smith <alice@x.com> wrote:" with no date: only when a quote follows it. */
const whoWrote = /^(?<who>.+?)\s+(?:wrote|schrieb|a\s+écrit|escribió)\s*:$/i;

/**
 * Outlook's header block ("From: … Sent: … To: … Subject: …"), in English, German, French and
 * Spanish, labels possibly starred (`*From:*`, Outlook's bold in plain text). The locales say how
 * the date under each label is read, the most likely first.
 */
const fromLabels = new Set(['from', 'von', 'de']);
const dateLabels = new Map<string, readonly DateLocale[]>([
  ['sent', ['en']],
  ['date', ['en', 'fr']],
  ['gesendet', ['de']],
  ['datum', ['de']],
  ['envoyé', ['fr']],
  ['envoyé le', ['fr']],
  ['message du', ['fr']],
  ['enviado', ['es']],
  ['enviado el', ['es']],
  ['fecha', ['es']],
]);
const otherLabels = new Set([
  ...['to', 'cc', 'bcc', 'subject', 'reply-to', 'importance', 'attachments'],
  ...['an', 'betreff', 'antwort an', 'wichtigkeit', 'anlagen'],
  ...['à', 'a', 'objet', 'copie', 'copie à', 'cci', 'répondre à', 'importance', 'pièces jointes'],
  ...['para', 'asunto', 'cc', 'cco', 'responder a', 'importancia', 'datos adjuntos'],
]);
const labelLine =
  /^\*{0,2}(?<label>\p{L}[\p{L} -]{0,20}?)\s*\*{0,2}\s*:\s*\*{0,2}\s*(?<value>.*)$/u;

/** A forward starts here: what follows is not a reply's quote. */
const forwardMarkers: readonly RegExp[] = [
  /^-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado)\s*-{2,}$/i,
  /^(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado)\s*:$/i,
];
/** Outlook's "-----Original Message-----" and its translations: a header block should follow. */
const originalMessage =
  /^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d['’]origine|Mensaje original)\s*-{2,}$/i;
/** A rule ("____", "-----") drawn above a header block. */
const rule = /^(?:[-_=*]\s*){4,}$/;

/** An address as written in an attribution ("p.o'brien@example.com", "<a@b.c>", "[mailto:a@b.c]"). */
const addressPattern =
  /[^\s<>()[\]",;:'@]+(?:'[^\s<>()[\]",;:'@]+)*@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;

const entities: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&amp;': '&',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};

interface Line {
  raw: string;
  /** How many `>` quote it. */
  depth: number;
  /** Without the quote markers, spaces normalised, trimmed. */
  text: string;
}

/**
 * The quote attribution the reply's quoted part starts with, or null when it has none.
 *
 * Lines are read from the top: the user's own text is passed over, and the first attribution wins
 * (those deeper in the quote come after it). The search stops with null at the first quoted (`>`)
 * line that is not an attribution, at a forward marker ("---------- Forwarded message ---------",
 * "Begin forwarded message:"), and after an "-----Original Message-----" line not followed by a
 * header block. An attribution that names someone else still counts: the caller decides.
 *
 * The date is read at the offset the attribution names, else in `timeZone`; it is null when the year
 * is not written ("On Wed, Dec 9, …"). Without a time it is the start of that day, so a same-day
 * attribution is never later than a message sent that day.
 */
export function topmostAttribution(text: string, timeZone: string): Attribution | null {
  const lines = linesOf(text);
  let afterSeparator = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines.at(i);
    if (!line.text || rule.test(line.text)) continue;
    if (forwardMarkers.some((marker) => marker.test(line.text))) return null;
    if (originalMessage.test(line.text)) {
      afterSeparator = true;
      continue;
    }
    const found = headerBlockAt(lines, i, timeZone) ?? wroteAt(lines, i, timeZone);
    if (found) return found;
    if (afterSeparator || line.depth > 0) return null;
  }
  return null;
}

/**
 * A text's lines, each cleaned the first time it is read: the search stops at the first quoted line
 * that is no attribution, so a long quote below it is split but never cleaned line by line.
 */
interface Lines {
  readonly length: number;
  /** Line i, for 0 <= i < length. */
  at(i: number): Line;
}

function linesOf(text: string): Lines {
  const raws = text.replace(/\r\n?/g, '\n').split('\n');
  const read: Line[] = [];
  return {
    length: raws.length,
    at: (i) => {
      let line = read[i];
      if (!line) {
        line = lineOf(raws[i] as string);
        read[i] = line;
      }
      return line;
    },
  };
}

function lineOf(raw: string): Line {
  const marker = /^\s*((?:>\s?)+)/.exec(raw);
  const depth = marker ? (marker[1]?.match(/>/g)?.length ?? 0) : 0;
  const unquoted = marker ? raw.slice(marker[0].length) : raw;
  const clean = unquoted
    .replace(/&(?:lt|gt|quot|amp|#39|apos|nbsp);/g, (entity) => entities[entity] ?? entity)
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { raw: raw.trim(), depth, text: clean };
}

/** An "On … wrote:" attribution starting at line i, over up to three lines of the same depth. */
function wroteAt(lines: Lines, i: number, timeZone: string): Attribution | null {
  const first = lines.at(i);
  const window: Line[] = [];
  for (let j = i; j < i + 3 && j < lines.length; j++) {
    const line = lines.at(j);
    if (!line.text || line.depth !== first.depth) break;
    window.push(line);
    const joined = window
      .map((l) => l.text)
      .join(' ')
      .replace(/<\s+/g, '<')
      .replace(/\s+>/g, '>');
    const evidence = window.map((l) => l.raw).join('\n');
    const found =
      readWrote(joined, timeZone) ??
      (window.length === 1 ? readWhoWrote(joined, lines, j, first.depth) : null);
    if (found) return { ...found, line: evidence };
  }
  return null;
}

type Read = Omit<Attribution, 'line'>;

function readWrote(joined: string, timeZone: string): Read | null {
  for (const { locale, pattern } of wroteForms) {
    const groups = pattern.exec(joined)?.groups;
    if (!groups) continue;
    const locales = [locale];
    if (groups.body !== undefined) {
      const body = groups.body;
      const date = findDate(body, { locales, timeZone });
      if (date) {
        // The date comes first (after a weekday at most); the sender follows it.
        if (!/^[\p{L}.,\s]{0,16}$/u.test(body.slice(0, date.index))) continue;
        const sender = senderOf(body.slice(date.index + date.text.length).replace(/^[\s,]+/, ''));
        if (sender) return { ...sender, date: instantOf(date, timeZone) };
        continue;
      }
      // No date to split at: the sender follows the last comma, and must give an address.
      const sender = senderOf(body.slice(body.lastIndexOf(',') + 1));
      if (sender?.address) return { ...sender, date: null };
      continue;
    }
    const sender = senderOf(groups.who ?? '');
    if (!sender) continue;
    const date = findDate(groups.date ?? '', { locales, timeZone });
    if (!date && !sender.address) continue;
    return { ...sender, date: date ? instantOf(date, timeZone) : null };
  }
  return null;
}

/** "Alice Smith <alice@x.com> wrote:" counts only when the next written line is quoted deeper. */
function readWhoWrote(joined: string, lines: Lines, last: number, depth: number): Read | null {
  const who = whoWrote.exec(joined)?.groups?.who;
  let next: Line | undefined;
  for (let j = last + 1; j < lines.length && !next; j++) {
    const line = lines.at(j);
    if (line.text || line.depth > depth) next = line;
  }
  if (!who || !next || next.depth <= depth) return null;
  const sender = senderOf(who);
  if (!sender) return null;
  const looksLikeName = /^(?:\p{Lu}[\p{L}'’.-]*\s?){1,4}$/u.test(sender.name);
  return sender.address || looksLikeName ? { ...sender, date: null } : null;
}

/** An Outlook header block starting at line i: a From field and a date field, in any order. */
function headerBlockAt(lines: Lines, i: number, timeZone: string): Attribution | null {
  const depth = lines.at(i).depth;
  let from: { value: string; at: number[] } | null = null;
  let date: { value: string; at: number; locales: readonly DateLocale[] } | null = null;
  let previous: 'from' | 'other' | null = null;
  for (let j = i; j < i + 12 && j < lines.length; j++) {
    const line = lines.at(j);
    if (!line.text || line.depth !== depth) break;
    const groups = labelLine.exec(line.text)?.groups;
    const label = groups?.label?.trim().toLowerCase() ?? '';
    const value = groups?.value ?? '';
    const dateLocalesOfLabel = dateLabels.get(label);
    if (fromLabels.has(label) && !from) {
      from = { value, at: [j] };
      previous = 'from';
    } else if (dateLocalesOfLabel && !date) {
      date = { value, at: j, locales: dateLocalesOfLabel };
      previous = 'other';
    } else if (otherLabels.has(label) || fromLabels.has(label) || dateLocalesOfLabel) {
      previous = 'other';
    } else if (previous === 'from' && from && !addressPattern.test(from.value)) {
      // "From: Human Resources" with the address wrapped onto the next line.
      from = { value: `${from.value} ${line.text}`, at: [...from.at, j] };
    } else break;
    if (j === i && !from && !date) return null;
  }
  if (!from || !date) return null;
  const sender = senderOf(from.value);
  if (!sender) return null;
  const preferred = date.locales;
  const locales = [...preferred, ...dateLocales.filter((locale) => !preferred.includes(locale))];
  const found = findDate(date.value, { locales, timeZone });
  const evidence = [...from.at, date.at].sort((a, b) => a - b).map((at) => lines.at(at).raw);
  return {
    ...sender,
    date: found ? instantOf(found, timeZone) : null,
    line: evidence.join('\n'),
  };
}

/** The name and address in "Alice Smith <alice@x.com>", "Smith, Alice [mailto:…]", "alice@x.com". */
function senderOf(raw: string): { name: string; address: string | null } | null {
  const who = raw.trim();
  const match = addressPattern.exec(who);
  const before = match ? who.slice(0, match.index) : who;
  const name = before
    .replace(/[\s"'(<[]*(?:mailto:)?[\s"'(<[]*$/i, '')
    .replace(/^["'“”‘’\s]+|["'“”‘’\s]+$/g, '')
    .trim();
  const address = match ? normaliseAddress(match[0]) : null;
  if (!address && (!name || name.length > 80 || /^(?:you|du|vous|usted|tú)$/i.test(name)))
    return null;
  return { name, address };
}
