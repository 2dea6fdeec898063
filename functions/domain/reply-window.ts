import { DateTime } from 'luxon';
import type { ReplyWindow } from './model.ts';

export const defaultReplyWindow: ReplyWindow = { kind: 'business-days', days: 3 };

const isWeekend = (d: DateTime) => d.weekday === 6 || d.weekday === 7;

function nextBusinessDay(d: DateTime): DateTime {
  let day = d;
  while (isWeekend(day)) day = day.plus({ days: 1 });
  return day;
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
  const sentDay = DateTime.fromJSDate(sentAt, { zone: timeZone }).startOf('day');
  let due: DateTime;
  switch (window.kind) {
    case 'business-days': {
      due = sentDay;
      for (let left = window.days; left > 0; ) {
        due = due.plus({ days: 1 });
        if (!isWeekend(due)) left -= 1;
      }
      break;
    }
    case 'days':
      due = nextBusinessDay(sentDay.plus({ days: window.days }));
      break;
    case 'weekday': {
      const ahead = (window.weekday - sentDay.weekday + 7) % 7 || 7;
      due = sentDay.plus({ days: ahead });
      break;
    }
  }
  return due.toISODate() ?? '';
}
