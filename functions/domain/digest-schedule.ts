import { DateTime } from 'luxon';
import type { User } from './model.ts';

/** Digests go out in 15-minute UTC slots; every zone's offset is a whole number of quarter hours. */
export const slotMinutes = 15;

export interface DigestSchedule {
  timeZone: string;
  /** Local time of day, HH:MM. */
  digestAt: string;
  /** Monday to Friday only (the default), or every day. */
  weekdaysOnly: boolean;
  /** Only on this weekday (1 = Monday): the `weekly` setting. */
  weeklyOn?: number;
}

/** A user's schedule: their hour in their zone, on weekdays unless they said `daily` or `weekly`. */
export const scheduleOf = (
  user: Pick<User, 'timeZone' | 'digestAt' | 'frequency'>,
): DigestSchedule => ({
  timeZone: user.timeZone,
  digestAt: user.digestAt,
  weekdaysOnly: user.frequency !== 'daily',
  ...(user.frequency === 'weekly' ? { weeklyOn: 1 } : {}),
});

/** The UTC slot an instant falls in, as an ISO time (yyyy-mm-ddThh:mmZ). */
export function slotOf(at: Date): string {
  const ms = slotMinutes * 60_000;
  return `${new Date(Math.floor(at.getTime() / ms) * ms).toISOString().slice(0, 16)}Z`;
}

/**
 * The next digest strictly after `after`: the user's hour on their calendar, on the next day that
 * counts (weekdays, unless every day), as an instant and its slot. Days are counted in the user's
 * zone, so a daylight-saving change moves the UTC time, never the local hour; an hour a change
 * skips is taken as the first moment after it (luxon's reading), a repeated hour as its first.
 */
export function nextDigest(
  schedule: DigestSchedule,
  after: Date,
): { at: Date; slot: string; localDate: string } {
  const [hour = 8, minute = 0] = schedule.digestAt.split(':').map(Number);
  let day = DateTime.fromJSDate(after, { zone: schedule.timeZone }).startOf('day');
  for (let tries = 0; tries < 10; tries++, day = day.plus({ days: 1 })) {
    if (schedule.weekdaysOnly && day.weekday >= 6) continue;
    if (schedule.weeklyOn !== undefined && day.weekday !== schedule.weeklyOn) continue;
    const at = day.set({ hour, minute });
    if (at.toMillis() > after.getTime()) {
      const instant = at.toJSDate();
      return { at: instant, slot: slotOf(instant), localDate: day.toISODate() ?? '' };
    }
  }
  throw new Error(`no digest day found after ${after.toISOString()}`);
}

/**
 * Whether the user's digest for the local day of `now` is due by now: their day counts and the slot
 * of their hour has come. A run after an outage sends a missed digest late only while it is still that
 * day for the user; a day that is over is not sent after the fact.
 */
export function dueToday(schedule: DigestSchedule, now: Date): boolean {
  const startOfDay = DateTime.fromJSDate(now, { zone: schedule.timeZone }).startOf('day');
  const today = nextDigest(schedule, new Date(startOfDay.toMillis() - 1));
  // Compared by slot: the scheduler runs once per slot, and an hour like 08:10 is due in 08:00's.
  return today.localDate === startOfDay.toISODate() && today.slot <= slotOf(now);
}
