import * as chrono from 'chrono-node';
import { DateTime, FixedOffsetZone } from 'luxon';

/**
 * Dates written in mail text: "Tue, 3 Mar 2026 at 10:15", "3. März 2026 um 10:15 Uhr",
 * "03.03.2026 10:15", "mar. 3 mars 2026 à 10:15", "3 de marzo de 2026", "12/3", "the 3rd".
 *
 * chrono-node finds a date and reports the fields as written, but it is not trusted with zones: it
 * ignores a `timezone` option and completes missing fields in the host's zone. So only the fields
 * are taken from it, its reference is the caller's moment as a wall-clock time in the caller's zone,
 * and luxon places the fields: at the offset the text names, else in the caller's zone.
 * chrono does not read numeric European dates ("03.03.2026", "3.3.26", "bis 3.12.") in every
 * locale, nor a bare "the 3rd": those are read here.
 */

export type DateLocale = 'en' | 'de' | 'fr' | 'es';

export const dateLocales: readonly DateLocale[] = ['en', 'de', 'fr', 'es'];

/** Each read when first needed: a bundle loads chrono only then (functions/adapters/beside/). */
const parsers: Record<DateLocale, () => chrono.Chrono> = {
  en: () => chrono.en.casual,
  de: () => chrono.de.casual,
  fr: () => chrono.fr.casual,
  es: () => chrono.es.casual,
};

/** The fields of a date as a text gives them; what it leaves out is null. */
export interface DateFields {
  /** Written, or known from a relative expression ("tomorrow") read against the reference. */
  year: number | null;
  month: number | null;
  day: number | null;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number | null;
  hour: number | null;
  minute: number | null;
  second: number | null;
  /** Minutes east of UTC, when the text names an offset or a zone ("+0530", "EST", "GMT+01:00"). */
  offsetMinutes: number | null;
}

/** A date found in a text. */
export interface FoundDate extends DateFields {
  /** Where it starts in the text searched. */
  index: number;
  /** The text it was read from. */
  text: string;
  /** Whether the year is spelled out (not completed from a reference, not "tomorrow"). */
  yearWritten: boolean;
  /** The end of a range ("1 – 5 December", "from Dec 1 to Dec 5"), when one is written. */
  end: DateFields | null;
}

export interface FindDateOptions {
  /** The locales to read with, the most likely first: it wins when two read the same words. */
  locales?: readonly DateLocale[];
  /**
   * The moment the text speaks from. Without it, relative dates ("tomorrow", "next week") are not
   * read at all, and a year is only what the text writes.
   */
  reference?: Date;
  /** The zone the reference is read in (and relative dates are counted in). */
  timeZone: string;
  /** Whether a weekday alone ("Friday") or a day of the month alone ("the 3rd") is a date. */
  partial?: boolean;
}

/**
 * The first date in `text`, or null. Unless `partial`, a date needs at least a day and a month.
 * A weekday written just before a date ("Di., 3. März") is read with it.
 */
export function findDate(text: string, options: FindDateOptions): FoundDate | null {
  const locales = options.locales ?? dateLocales;
  const english = locales.length === 1 && locales[0] === 'en';
  return (english ? gmailAttributionDate(text) : null) ?? findDateInLocales(text, options, locales);
}

/** findDate, every locale's reading (chrono's and the numeric ones) compared. */
export function findDateInLocales(
  text: string,
  options: FindDateOptions,
  locales: readonly DateLocale[],
): FoundDate | null {
  const candidates = [
    ...locales.flatMap((locale) => chronoDates(text, locale, options)),
    ...numericDates(text),
    ...(locales.includes('en') ? ordinalDays(text) : []),
  ].filter((found) =>
    options.partial
      ? found.day !== null || found.weekday !== null
      : found.day !== null && found.month !== null,
  );
  // Earliest first; at one position the longer reading; then the locale order (stable sort).
  candidates.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const first = candidates[0];
  if (!first || first.day !== null) return first ? withTimeAfter(first, text) : null;
  // A weekday alone, unless a full date follows right after it ("Montag, 7. Dezember").
  const after = first.index + first.text.length;
  const dated = candidates.find(
    (c) => c.day !== null && c.index >= after && /^[\s.,]*$/.test(text.slice(after, c.index)),
  );
  return dated ? withTimeAfter({ ...dated, weekday: dated.weekday ?? first.weekday }, text) : first;
}

/**
 * The date as English Gmail writes it in a quote attribution ("Fri, 27 Feb 2026 at 16:02, Alice
 * <alice@x.com>"): at the start, followed by a comma and a name whose first word is too long to be a
 * zone (chrono reads "Fri, 27 Feb 2026 at 16:02, Sgt Pepper" in Singapore time). chrono reads it the
 * same (test/unit/text-dates.test.ts compares the two over every month, weekday, day and hour), but
 * costs more than the rest of a message's rules: the most common attribution is read by luxon with
 * its one format instead, and anything luxon refuses (30 Feb, a weekday the date does not fall on)
 * is left to chrono.
 */
const gmailDate =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d{3} at (?:[01]?\d|2[0-3]):[0-5]\d(?=, [A-Za-z]{5,}(?:[ <]|$))/;
/** Built when first read (about a millisecond): a message quoting no such date never does. */
let gmailFormat: ReturnType<typeof DateTime.buildFormatParser> | undefined;

export function gmailAttributionDate(text: string): FoundDate | null {
  const written = gmailDate.exec(text)?.[0];
  if (!written) return null;
  gmailFormat ??= DateTime.buildFormatParser("EEE, d MMM yyyy 'at' H:mm", { locale: 'en-US' });
  const date = DateTime.fromFormatParser(written, gmailFormat, { locale: 'en-US', zone: 'utc' });
  if (!date.isValid) return null;
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    weekday: date.weekday,
    hour: date.hour,
    minute: date.minute,
    second: null,
    offsetMinutes: null,
    index: 0,
    text: written,
    yearWritten: true,
    end: null,
  };
}

/** A time chrono left beside the date ("3 mar 2026, a las 10:15"), read with it. */
function withTimeAfter(found: FoundDate, text: string): FoundDate {
  if (found.hour !== null) return found;
  let end = found.index + found.text.length;
  const time = readTime(text.slice(end));
  if (!time) return found;
  end += time.length;
  const offset = readOffset(text.slice(end));
  if (offset) end += offset.length;
  return {
    ...found,
    text: text.slice(found.index, end),
    hour: time.hour,
    minute: time.minute,
    second: time.second,
    offsetMinutes: offset?.minutes ?? found.offsetMinutes,
  };
}

/**
 * The first full date in `text` (day, month and year; a time when written) as an instant: at the
 * offset the text names, else as a wall-clock time in `timeZone`. A date without a time is the start
 * of that day. Given a `reference`, a date without a year takes the year that puts it closest to the
 * reference, and relative dates ("yesterday") count from it; without one, the year must be written.
 * A wall-clock time that a DST change skips is moved forward by the gap (luxon's reading, as is
 * the choice between the two instants of a repeated hour).
 */
export function readDate(
  text: string,
  timeZone: string,
  reference?: Date,
  locales: readonly DateLocale[] = dateLocales,
): Date | null {
  const found = findDate(text, { locales, timeZone, ...(reference ? { reference } : {}) });
  if (!found || found.month === null || found.day === null) return null;
  if (found.year !== null) return instantOf(found, timeZone);
  if (!reference) return null;
  const year = closestYear(found.month, found.day, localDay(reference, timeZone));
  return instantOf({ ...found, year }, timeZone);
}

/** The instant of a full date's fields: at its written offset, else in `timeZone`. */
export function instantOf(fields: DateFields, timeZone: string): Date | null {
  if (fields.year === null || fields.month === null || fields.day === null) return null;
  const zone =
    fields.offsetMinutes === null ? timeZone : FixedOffsetZone.instance(fields.offsetMinutes);
  const local = DateTime.fromObject(
    {
      year: fields.year,
      month: fields.month,
      day: fields.day,
      hour: fields.hour ?? 0,
      minute: fields.minute ?? 0,
      second: fields.second ?? 0,
    },
    { zone },
  );
  return local.isValid ? local.toJSDate() : null;
}

/** The local calendar day of an instant in a zone, at midnight. */
export function localDay(instant: Date, timeZone: string): DateTime {
  return DateTime.fromJSDate(instant, { zone: timeZone }).startOf('day');
}

/** The year that puts month/day closest to `day` (a 3 January read in late December is next year's). */
export function closestYear(month: number, dayOfMonth: number, day: DateTime): number {
  const distance = (year: number) => {
    const candidate = DateTime.fromObject({ year, month, day: dayOfMonth }, { zone: day.zone });
    return candidate.isValid
      ? Math.abs(candidate.diff(day, 'days').days)
      : Number.POSITIVE_INFINITY;
  };
  return [day.year - 1, day.year, day.year + 1].reduce((best, year) =>
    distance(year) < distance(best) ? year : best,
  );
}

/** chrono counts wall-clock time in the host's zone: hand it the reference as such a time. */
function hostReference(reference: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(reference, { zone: timeZone });
  if (!local.isValid) return reference;
  return new Date(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Any fixed moment: without a caller's reference, nothing read from it is kept. */
const noReference = new Date(2000, 0, 1, 12);

function chronoDates(text: string, locale: DateLocale, options: FindDateOptions): FoundDate[] {
  const reference = options.reference
    ? hostReference(options.reference, options.timeZone)
    : noReference;
  const parser = parsers[locale]();
  return parser.parse(text, reference).flatMap((result) => {
    const start = fieldsOf(result.start);
    const yearWritten = start.year !== null && spellsYear(result.text, start.year);
    // Without a reference, a year the text does not write came from the dummy reference: relative.
    if (!options.reference && start.year !== null && !yearWritten) return [];
    return [
      {
        ...start,
        index: result.index,
        text: result.text,
        yearWritten,
        end: result.end ? fieldsOf(result.end) : null,
      },
    ];
  });
}

/** Only what chrono is certain of: the rest it fills in from the reference. */
function fieldsOf(components: chrono.ParsedComponents): DateFields {
  const known = (component: chrono.Component) =>
    components.isCertain(component) ? components.get(component) : null;
  const weekday = known('weekday');
  return {
    year: known('year'),
    month: known('month'),
    day: known('day'),
    weekday: weekday === null ? null : weekday === 0 ? 7 : weekday,
    hour: known('hour'),
    minute: known('minute'),
    second: known('second'),
    offsetMinutes: known('timezoneOffset'),
  };
}

/** Whether the text writes the year: in full, or as two digits after "/", ".", "-" or an apostrophe. */
function spellsYear(text: string, year: number): boolean {
  if (text.includes(String(year))) return true;
  const short = String(year % 100).padStart(2, '0');
  return new RegExp(String.raw`[/.\-'’]\s?${short}(?:\D|$)`).test(text);
}

/**
 * Day-first numeric dates with dots: "03.03.2026", "3.3.26", "3. 12. 2026", "bis 3.12." (a date
 * without a year ends in a dot), with a time after it ("um 10:15 Uhr", "17.45", "10h30") and an
 * offset ("(GMT+01:00)", "+0100"). Not part of a longer number or version ("1.2.3", "v2.10.3").
 */
const dottedDate = /(?<![\p{L}\p{N}.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2}))?(?!\p{N})/gu;
const timeAfter =
  /^,?\s*(?:um|at|à|a las|a la|kl\.?)?\s*(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?(?!\p{N})(?:\s*(?:Uhr|h)\b)?(?:\s*([ap])\.?\s?m\b\.?)?/iu;
const offsetAfter =
  /^\s*\(?\s*(?:GMT|UTC)\s?([+-])(\d{1,2})(?::?(\d{2}))?\s*\)?|^\s*([+-])(\d{2}):?(\d{2})(?!\d)/i;

function numericDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const match of text.matchAll(dottedDate)) {
    const day = Number(match[1]);
    const month = Number(match[2]);
    if (day < 1 || day > 31 || month < 1 || month > 12) continue;
    const yearText = match[3];
    const year =
      yearText === undefined
        ? null
        : yearText.length === 4
          ? Number(yearText)
          : 2000 + Number(yearText);
    let end = match.index + match[0].length;
    const time = readTime(text.slice(end));
    if (time) end += time.length;
    const offset = time ? readOffset(text.slice(end)) : null;
    if (offset) end += offset.length;
    found.push({
      index: match.index,
      text: text.slice(match.index, end),
      year,
      month,
      day,
      weekday: null,
      hour: time?.hour ?? null,
      minute: time?.minute ?? null,
      second: time?.second ?? null,
      offsetMinutes: offset?.minutes ?? null,
      yearWritten: year !== null,
      end: null,
    });
  }
  return found;
}

function readTime(
  text: string,
): { hour: number; minute: number; second: number | null; length: number } | null {
  const match = timeAfter.exec(text);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2]);
  const meridiem = match[4]?.toLowerCase();
  if (meridiem && (hour < 1 || hour > 12)) return null;
  if (meridiem === 'p' && hour < 12) hour += 12;
  if (meridiem === 'a' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  const second = match[3] === undefined ? null : Number(match[3]);
  return { hour, minute, second, length: match[0].length };
}

function readOffset(text: string): { minutes: number; length: number } | null {
  const match = offsetAfter.exec(text);
  if (!match) return null;
  const sign = (match[1] ?? match[4]) === '-' ? -1 : 1;
  const hours = Number(match[2] ?? match[5]);
  const minutes = Number(match[3] ?? match[6] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return { minutes: sign * (hours * 60 + minutes), length: match[0].length };
}

/** "the 3rd", "the 21st": a day of the month alone (chrono reads it only with a month after it). */
const ordinalDay = /(?<=\bthe\s+)(\d{1,2})(?:st|nd|rd|th)\b/gi;

function ordinalDays(text: string): FoundDate[] {
  return [...text.matchAll(ordinalDay)].flatMap((match) => {
    const day = Number(match[1]);
    if (day < 1 || day > 31) return [];
    return [
      {
        index: match.index,
        text: match[0],
        year: null,
        month: null,
        day,
        weekday: null,
        hour: null,
        minute: null,
        second: null,
        offsetMinutes: null,
        yearWritten: false,
        end: null,
      },
    ];
  });
}
