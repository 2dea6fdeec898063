import { DateTime } from 'luxon';

/** "6 days ago", "yesterday", "in March", "in March 2025": how people say when. */
export function ago(at: string, now: Date, timeZone: string): string {
  const then = DateTime.fromISO(at, { zone: timeZone, locale: 'en' });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).setLocale('en');
  const days = Math.floor(today.startOf('day').diff(then.startOf('day'), 'days').days);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 28) return `${days} days ago`;
  return then.year === today.year
    ? `in ${then.toFormat('LLLL')}`
    : `in ${then.toFormat('LLLL yyyy')}`;
}

/** "3 weeks", "4 months", "a year": a span as people say it. */
export function span(days: number): string {
  if (days < 14) return `${days} days`;
  if (days < 60) return `${Math.round(days / 7)} weeks`;
  if (days < 365) return `${Math.round(days / 30)} months`;
  const years = Math.round(days / 365);
  return years === 1 ? 'a year' : `${years} years`;
}
