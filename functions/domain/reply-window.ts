import { DateTime } from 'luxon';
import type { ReplyWindow } from './model.ts';

export const defaultReplyWindow: ReplyWindow = { kind: 'business-days', days: 3 };

/** The window a nudge opens: the next reminder comes after this many business days. */
export const nudgeWindow: ReplyWindow = { kind: 'business-days', days: 5 };

/*
 * Once a day is known on the user's calendar, counting days is plain calendar arithmetic, the same
 * in every zone. Days are counted as whole numbers since 1970-01-01 (a Thursday).
 */
const msPerDay = 86_400_000;
const dayNumber = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / msPerDay);
const isoOf = (day: number) => new Date(day * msPerDay).toISOString().slice(0, 10);
/** ISO weekday: 1 Monday … 7 Sunday. */
const weekdayOf = (day: number) => ((day + 3) % 7) + 1;
const isWeekend = (day: number) => weekdayOf(day) >= 6;

function nextBusinessDay(day: number): number {
  let d = day;
  while (isWeekend(d)) d += 1;
  return d;
}

/**
 * The local date from which a silent recipient is due, in the user's zone.
 *
 * - business days: counted from the sending day, skipping Saturdays and Sundays;
 * - calendar days or weeks (`3d`, `2w`, `tomorrow`): moved to the next business day when they
 *   land on a weekend;
 * - a weekday (`monday`): the next such day strictly after the sending day.
 */
export function dueDate(sentAt: Date, timeZone: string, window: ReplyWindow): string {
  const sent = dayNumber(localDate(sentAt, timeZone));
  switch (window.kind) {
    case 'business-days': {
      let due = sent;
      for (let left = window.days; left > 0; ) {
        due += 1;
        if (!isWeekend(due)) left -= 1;
      }
      return isoOf(due);
    }
    case 'days':
      return isoOf(nextBusinessDay(sent + window.days));
    case 'weekday':
      return isoOf(sent + ((window.weekday - weekdayOf(sent) + 7) % 7 || 7));
  }
}

/** The first business day after a local date (yyyy-mm-dd): when someone back from leave can answer. */
export function firstBusinessDayAfter(day: string): string {
  return isoOf(nextBusinessDay(dayNumber(day) + 1));
}

/** Every zone's offset is a whole number of quarter hours: within one UTC quarter hour the local date is one. */
const quarterHour = 15 * 60_000;
const localDates = new Map<string, string>();

/** The local date (yyyy-mm-dd) of an instant in a zone. Memoised: looking up a zone's offset is slow. */
export function localDate(at: Date, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(at.getTime() / quarterHour)}`;
  let day = localDates.get(key);
  if (day === undefined) {
    day = DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? '';
    if (localDates.size > 100_000) localDates.clear();
    localDates.set(key, day);
  }
  return day;
}
