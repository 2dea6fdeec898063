import { DateTime } from 'luxon';
import { commandsMarker } from './commands-marker.ts';
import { normaliseAddress } from './mailbox.ts';
import { ownText } from './own-text.ts';
import { findDate } from './text-dates.ts';

/**
 * Reply commands: what a user types in a reply to a digest or a confirmation ("snooze 2 until
 * monday", "done 1 3", "pause 2w"). Only the user's new text is read (the quoted digest and the
 * signature are split off), one command per line, in any case. Reading stops at the digest's
 * commands marker, so a quote that was not stripped never runs the examples written under it.
 * Dates and durations are read on the user's calendar; everything here is pure.
 */

export { commandsMarker };

/** At most this many lines of a reply are read; the rest are named as not read. */
export const maxLinesRead = 30;
/** A line longer than this is not a command. */
const maxLineLength = 200;
/** A snooze with no date or duration lasts this long. */
export const defaultSnoozeDays = 7;
/** Snoozes and pauses end within this many days. */
const maxAheadDays = 366;

/** An item of the digest, by its number or by a contact's name or address. */
export type Target = { by: 'number'; number: number } | { by: 'name'; text: string };

export type Frequency = 'weekdays' | 'daily' | 'weekly';

export type Command =
  | { verb: 'snooze'; line: string; targets: Target[] | 'all'; until: string }
  | { verb: 'done' | 'drop'; line: string; targets: Target[] }
  | { verb: 'revive'; line: string; target: Target }
  | { verb: 'cadence'; line: string; target: Target; days: number }
  | { verb: 'never'; line: string; address: string }
  | { verb: 'pause'; line: string; until: string }
  | { verb: 'frequency'; line: string; frequency: Frequency }
  | { verb: 'at'; line: string; time: string }
  | { verb: 'tz'; line: string; zone: string }
  | { verb: 'forget'; line: string; address: string }
  | {
      verb: 'resume' | 'more' | 'help' | 'settings' | 'unsubscribe' | 'export' | 'delete-my-data';
      line: string;
    }
  /** `yes, delete`: acts only in reply to the confirmation `delete my data` asked for. */
  | { verb: 'confirm-delete'; line: string };

/** A line that is not a command, and why (with the closest command, when one is close). */
export interface LineProblem {
  line: string;
  why: string;
}

export interface ReadCommands {
  commands: Command[];
  problems: LineProblem[];
  /** Lines past `maxLinesRead` that were not read. */
  unread: number;
}

/** The commands a user can type, for suggestions and the help answer. */
export const commandWords = [
  'snooze',
  'tomorrow',
  'done',
  'drop',
  'let go',
  'revive',
  'cadence',
  'never',
  'pause',
  'resume',
  'daily',
  'weekly',
  'weekdays',
  'at',
  'tz',
  'more',
  'help',
  'settings',
  'unsubscribe',
  'export',
  'forget',
  'delete my data',
] as const;

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Lines people write around commands that ask nothing: skipped without a word. */
const pleasantries =
  /^(?:hi|hey|hello|hallo|bonjour|hola|thanks?(?: you)?(?: so much)?|thx|ty|cheers|best|regards|best regards|kind regards|danke(?: schön| sehr)?|merci(?: beaucoup)?|gracias|ok|okay|sent from my \w+)[\s,.!:-]*(?:\p{L}+)?[\s,.!]*$/iu;
/** A closing line: what follows it is the user's name or signature, never a line to complain about. */
const signOff =
  /^(?:thanks?(?: you)?(?: so much)?|thx|ty|cheers|best|regards|best regards|kind regards|danke(?: schön| sehr)?|merci(?: beaucoup)?|gracias)[\s,.!:-]*$/iu;

type Context = {
  now: Date;
  timeZone: string;
  /** The sender's display name and address: a line of only their words is their signature. */
  signedBy?: { name?: string; address?: string };
};

/** The words a sender signs with: their display name's and their address's local part's. */
function signatureWords(signedBy: Context['signedBy']): Set<string> {
  const words = `${signedBy?.name ?? ''} ${signedBy?.address?.split('@')[0]?.replace(/[._-]+/g, ' ') ?? ''}`;
  return new Set(
    words
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 0),
  );
}

/** "Mia", "Mia Rossi", "— Mia": a line of at most four words, each one of the sender's own. */
function isOwnName(line: string, words: Set<string>): boolean {
  const parts = line
    .toLowerCase()
    .replace(/^[\s\-–—~]+/, '')
    .replace(/[.!,]+$/, '')
    .split(/\s+/)
    .filter((w) => w.length > 0);
  return parts.length > 0 && parts.length <= 4 && parts.every((w) => words.has(w));
}

/** The text a reply's commands are read from: above the marker, without quote and signature. */
export function commandText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const marker = lines.findIndex((l) => l.replace(/^[\s>]+/, '').trim() === commandsMarker);
  const above = marker >= 0 ? lines.slice(0, marker).join('\n') : lines.join('\n');
  return ownText(above);
}

/**
 * Reads the commands of a reply: its text (plain, or derived from HTML) and its subject (the
 * `mailto:` unsubscribe sends `unsubscribe` as the subject and nothing else).
 */
export function readCommands(
  input: { text: string; subject: string },
  context: Context,
): ReadCommands {
  const lines = commandText(input.text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const commands: Command[] = [];
  const problems: LineProblem[] = [];
  const subject = input.subject
    .replace(/^\s*(?:(?:re|aw|sv|fwd?|tr|rv)\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
  if (subject === 'unsubscribe') commands.push({ verb: 'unsubscribe', line: 'unsubscribe' });

  const seen = new Set<string>(commands.map((c) => c.line.toLowerCase()));
  const ownWords = signatureWords(context.signedBy);
  let signedOff = false;
  for (const line of lines.slice(0, maxLinesRead)) {
    const shown = line.length > 80 ? `${line.slice(0, 79)}…` : line;
    if (line.length > maxLineLength) {
      problems.push({ line: shown, why: 'too long to be a command' });
      continue;
    }
    if (signOff.test(line)) signedOff = true;
    if (pleasantries.test(line)) continue;
    const read = readLine(line, context);
    if ('why' in read) {
      // "Thanks,\nMia": after a sign-off, a line that is no command is the signature; so is a
      // line of the sender's own name, sign-off or not.
      if (!signedOff && !isOwnName(line, ownWords)) problems.push({ line: shown, why: read.why });
      continue;
    }
    const key = normalised(line);
    if (seen.has(key)) {
      problems.push({ line: shown, why: 'the same as a line above: done once' });
      continue;
    }
    seen.add(key);
    commands.push(read);
  }
  return { commands, problems, unread: Math.max(0, lines.length - maxLinesRead) };
}

const normalised = (line: string) =>
  line
    .toLowerCase()
    .replace(/[.!,;]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();

type LineReading = Command | { why: string };

function readLine(raw: string, context: Context): LineReading {
  const line = normalised(raw);
  const original = raw.trim().replace(/[.!,;]+$/, '');
  const [first = '', ...rest] = line.split(' ');
  const args = rest.join(' ');
  type Bare = Extract<Command, { verb: 'resume' }>['verb'];
  const plain = (verb: Bare): LineReading =>
    args ? { why: `“${verb}” takes nothing after it` } : { verb, line: original };

  if (line === 'let go' || line.startsWith('let go ')) {
    return targeted('drop', line.slice('let go'.length).trim(), original);
  }
  if (line === 'delete my data') return { verb: 'delete-my-data', line: original };
  if (/^yes,? delete$/.test(line)) return { verb: 'confirm-delete', line: original };
  if (line === 'snooze all') return snoozeAll('', original, context);
  if (first === 'tomorrow' || weekdays.includes(first)) {
    return rest.length === 0 ? snoozeAll(first, original, context) : suggest(first);
  }
  switch (first) {
    case 'snooze':
      return snooze(args, original, context);
    case 'done':
    case 'drop':
      return targeted(first, args, original);
    case 'revive': {
      const targets = readTargets(args);
      if (targets.length !== 1) return { why: 'revive takes one name, e.g. “revive alice”' };
      return { verb: 'revive', line: original, target: targets[0] as Target };
    }
    case 'cadence': {
      const match = /^(.+?)\s+(\S+(?:\s+\S+)?)$/.exec(args);
      const days = match ? durationDays(match[2] ?? '') : null;
      if (!match || days === null) return { why: 'write it as “cadence alice 30d”' };
      if (days < 7 || days > 730) return { why: 'a cadence is between 7 days and 2 years' };
      const targets = readTargets(match[1] ?? '');
      if (targets.length !== 1)
        return { why: 'cadence takes one person, e.g. “cadence alice 30d”' };
      return { verb: 'cadence', line: original, target: targets[0] as Target, days };
    }
    case 'never': {
      const address = readAddressOrDomain(args);
      if (!address) return { why: 'write it as “never alice@x.com” or “never @x.com”' };
      return { verb: 'never', line: original, address };
    }
    case 'forget': {
      const address = readAddressOrDomain(args);
      if (!address || address.startsWith('@')) return { why: 'write it as “forget alice@x.com”' };
      return { verb: 'forget', line: original, address };
    }
    case 'pause': {
      const until = args ? dateAhead(args.replace(/^(?:for|until)\s+/, ''), context) : null;
      if (!args) return { why: 'say for how long, e.g. “pause 2w” or “pause until jan 5”' };
      if (typeof until !== 'string')
        return { why: until?.why ?? 'a date or duration I could not read' };
      return { verb: 'pause', line: original, until };
    }
    case 'daily':
    case 'weekly':
    case 'weekdays':
      return args
        ? { why: `“${first}” takes nothing after it` }
        : { verb: 'frequency', line: original, frequency: first };
    case 'at': {
      const time = readTimeOfDay(args);
      return time
        ? { verb: 'at', line: original, time }
        : { why: 'write the hour as “at 7:30” (24-hour) or “at 7:30am”' };
    }
    case 'tz': {
      const written = original.split(/\s+/).slice(1).join(' ');
      const zone = DateTime.now().setZone(written);
      return written && zone.isValid && written.includes('/')
        ? { verb: 'tz', line: original, zone: zone.zoneName ?? written }
        : { why: 'write a time zone as “tz Europe/Berlin” (an IANA zone name)' };
    }
    case 'resume':
    case 'more':
    case 'help':
    case 'settings':
    case 'unsubscribe':
    case 'export':
      return plain(first as Bare);
    default:
      return suggest(first);
  }
}

function suggest(first: string): LineReading {
  const word = first.replace(/[^\p{L}]/gu, '');
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const command of commandWords) {
    const d = distance(word, command.split(' ')[0] ?? command);
    if (d < bestDistance) {
      best = command;
      bestDistance = d;
    }
  }
  const close = best !== null && word.length >= 2 && bestDistance <= Math.max(1, word.length / 3);
  return {
    why: close ? `not a command; did you mean “${best}”?` : 'not a command',
  };
}

/** Levenshtein distance, for the closest command to a word not understood. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j] ?? 0;
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = kept;
    }
  }
  return row[b.length] ?? 0;
}

function targeted(verb: 'done' | 'drop', args: string, line: string): LineReading {
  const targets = readTargets(args);
  if (targets.length === 0) return { why: `say which, e.g. “${verb} 2” or “${verb} alice”` };
  return { verb, line, targets };
}

/** "1 3", "1, 3", "1 and 3", "alice", "alice@x.com": numbers, or one name or address. */
export function readTargets(args: string): Target[] {
  const text = args.trim();
  if (!text) return [];
  const parts = text.split(/\s*(?:,|\band\b|&|\s)\s*/).filter(Boolean);
  if (parts.every((p) => /^#?\d{1,3}$/.test(p))) {
    return [...new Set(parts.map((p) => Number(p.replace('#', ''))))].map((number) => ({
      by: 'number',
      number,
    }));
  }
  return [{ by: 'name', text }];
}

function readAddressOrDomain(args: string): string | null {
  const text = args.trim().replace(/^<|>$/g, '');
  if (/^@[a-z0-9.-]+\.[a-z]{2,}$/i.test(text)) return text.toLowerCase();
  if (/^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,}$/i.test(text)) return normaliseAddress(text);
  return null;
}

function snoozeAll(when: string, line: string, context: Context): LineReading {
  const until = when ? dateAhead(when, context) : defaultUntil(context);
  if (typeof until !== 'string') return { why: until?.why ?? `“${when}” is not a date` };
  return { verb: 'snooze', line, targets: 'all', until };
}

/** "2", "2 3d", "2 until monday", "alice 2w", "1 3 next week": targets, then when. */
function snooze(args: string, line: string, context: Context): LineReading {
  if (!args) return snoozeAll('', line, context);
  const words = args.split(' ');
  // The longest tail that reads as a date or a duration ahead is the when; the rest names the
  // items. A tail that reads as a date that cannot be (past, too far) is the answer only when no
  // shorter tail reads.
  let refused: { why: string } | null = null;
  for (let split = 0; split < words.length; split++) {
    const head = words.slice(0, split).join(' ');
    const tail = words
      .slice(split)
      .join(' ')
      .replace(/^(?:until|till|til|to|for)\s+/, '');
    const until = dateAhead(tail, context);
    if (until === null) continue;
    if (typeof until !== 'string') {
      refused ??= until;
      continue;
    }
    if (!head) return { verb: 'snooze', line, targets: 'all', until };
    return { verb: 'snooze', line, targets: readTargets(head), until };
  }
  if (refused) return refused;
  const targets = readTargets(args);
  return { verb: 'snooze', line, targets, until: defaultUntil(context) };
}

function defaultUntil(context: Context): string {
  return today(context).plus({ days: defaultSnoozeDays }).toISODate() as string;
}

const today = (context: Context) =>
  DateTime.fromJSDate(context.now, { zone: context.timeZone }).startOf('day');

/** "3d", "2w", "2 weeks", "1 month", "10 days": a number of days, or null. */
export function durationDays(text: string): number | null {
  const match =
    /^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks|m|mo|mos|month|months|y|yr|year|years)$/.exec(
      text.trim().toLowerCase(),
    );
  if (!match) return null;
  const n = Number(match[1]);
  const unit = match[2] ?? 'd';
  if (unit.startsWith('d')) return n;
  if (unit.startsWith('w')) return n * 7;
  if (unit.startsWith('m')) return n * 30;
  return n * 365;
}

/**
 * A date or duration as a local date after today (yyyy-mm-dd): "3d", "2w", "1 month", "monday",
 * "dec 3", "next week", "tomorrow". Null when the text is neither; a reason when it is a date that
 * cannot be a snooze (today or past, more than a year ahead).
 */
function dateAhead(text: string, context: Context): string | { why: string } | null {
  const day = today(context);
  const t = text.trim();
  if (!t) return null;
  const days = durationDays(t) ?? (t === 'next month' ? 30 : null);
  let date: DateTime | null = days === null ? null : day.plus({ days });
  if (!date) {
    if (/^[\d\s,#&]+$/.test(t)) return null;
    const found = findDate(t, {
      locales: ['en'],
      reference: context.now,
      timeZone: context.timeZone,
      partial: true,
    });
    if (found?.index !== 0 || found.text.length < t.length - 1) return null;
    if (found.day === null && found.weekday !== null) {
      const ahead = (found.weekday - day.weekday + 7) % 7 || 7;
      date = day.plus({ days: ahead });
    } else if (found.day !== null && found.month !== null) {
      date = DateTime.fromObject(
        { year: found.year ?? day.year, month: found.month, day: found.day },
        { zone: context.timeZone },
      );
      // A day of the month just behind us is a slip ("dec 1" on 3 Dec); one long past means next year.
      if (found.year === null && date < day.minus({ days: 180 })) date = date.plus({ years: 1 });
      if (!date.isValid) return { why: `“${t}” is not a date` };
    } else {
      return null;
    }
  }
  if (date <= day) return { why: `${date.toFormat('d LLL yyyy')} is not after today` };
  if (date.diff(day, 'days').days > maxAheadDays) return { why: 'at most a year ahead' };
  return date.toISODate() as string;
}

/** "7:30", "07:30", "7", "7am", "7:30 pm", "19h": a time of day, HH:MM (quarter hours only). */
export function readTimeOfDay(text: string): string | null {
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?$/.exec(text.trim().toLowerCase());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const half = match[3];
  if (half === 'am' || half === 'pm') {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || minute % 15 !== 0) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
