import { DateTime, IANAZone } from 'luxon';

/**
 * A new person's time zone, guessed from the offset their mail client wrote in the Date header:
 * the first zone of a short list, most common first, that has that offset at that moment (so
 * +01:00 in July is London's summer time and in January Berlin's winter time). An offset no listed
 * zone has at that moment is a fixed-offset IANA zone (`Etc/GMT-5` is five hours east: the sign is
 * inverted, as POSIX has it), or UTC when it is not a whole number of hours. The person is told
 * the guess and how to correct it.
 */

/** Zones tried in this order; the first with the offset at the mail's moment wins. */
const likelyZones = [
  'Europe/London',
  // Nobody's clock reads +00:00 in a European summer but UTC's (and the Azores', rarely).
  'UTC',
  'Europe/Berlin',
  'Europe/Helsinki',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Tehran',
  'Asia/Kabul',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dhaka',
  'Asia/Yangon',
  'Asia/Bangkok',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Darwin',
  'Australia/Sydney',
  'Australia/Brisbane',
  'Pacific/Auckland',
  'Atlantic/Azores',
  'America/Sao_Paulo',
  'America/St_Johns',
  'America/Halifax',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'America/Anchorage',
  'Pacific/Honolulu',
] as const;

export interface ZoneGuess {
  zone: string;
  /** How it was found: from the Date header's offset, or nothing to go on (UTC). */
  from: 'offset' | 'nothing';
}

/** Obsolete zone names RFC 5322 still lets a Date header carry (section 4.3). */
const namedOffsets: Record<string, number> = {
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/**
 * The zone offset of a Date header as written, in minutes east of UTC; null when it has none or
 * says it has none (`-0000`, RFC 5322 3.3), or one no place on earth uses.
 */
export function dateOffsetMinutes(rawDate: string | undefined): number | null {
  if (!rawDate) return null;
  const bare = rawDate.replace(/\([^)]*\)/g, ' ').trim();
  const numeric = /(?:^|\s|\d)([+-])(\d{2})(\d{2})$/.exec(bare);
  if (numeric) {
    const [, sign, hours, minutes] = numeric;
    if (sign === '-' && hours === '00' && minutes === '00') return null;
    const value = Number(hours) * 60 + Number(minutes);
    if (Number(minutes) >= 60 || value > 14 * 60) return null;
    return sign === '-' ? -value : value;
  }
  const named = /\s([A-Za-z]{1,3})$/.exec(bare)?.[1]?.toUpperCase();
  return named !== undefined && named in namedOffsets ? (namedOffsets[named] ?? null) : null;
}

/** The zone guessed for mail written at `at` with this offset (minutes east of UTC). */
export function guessTimeZone(offsetMinutes: number | null, at: Date): ZoneGuess {
  if (offsetMinutes === null) return { zone: 'UTC', from: 'nothing' };
  const moment = DateTime.fromJSDate(at);
  const listed = likelyZones.find((zone) => moment.setZone(zone).offset === offsetMinutes);
  if (listed) return { zone: listed, from: 'offset' };
  if (offsetMinutes === 0) return { zone: 'UTC', from: 'offset' };
  if (offsetMinutes % 60 === 0) {
    const hours = offsetMinutes / 60;
    const fixed = `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
    if (IANAZone.isValidZone(fixed)) return { zone: fixed, from: 'offset' };
  }
  return { zone: 'UTC', from: 'nothing' };
}
