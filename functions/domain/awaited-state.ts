import { DateTime } from 'luxon';

export type AwaitedState = 'waiting' | 'due';

/** Whether an awaited reply is still within its window or due, on the user's local calendar. */
export function awaitedState(dueOn: string, timeZone: string, now: Date): AwaitedState {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? '';
  return today >= dueOn ? 'due' : 'waiting';
}
