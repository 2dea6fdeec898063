import { DateTime } from 'luxon';
import { nextDigest, scheduleOf } from './digest-schedule.ts';
import type { User } from './model.ts';
import { localDate } from './reply-window.ts';

/** Why a user's digests were stopped: they said so, a complaint, or their mailbox does not take mail. */
export type StopReason = 'unsubscribed' | 'complaint' | 'hard-bounce' | 'soft-bounces';

/** Soft (transient) bounces in a row, with no delivery between, that count as one hard bounce. */
export const softBouncesAsHard = 3;

/** Whether givefirst sends a user digests now, and if not, why and until when. */
export type SendingState =
  | { state: 'active' }
  | { state: 'paused'; until: string }
  | { state: 'unsubscribed'; reason: 'unsubscribed' | 'complaint'; since: string }
  | { state: 'bouncing'; reason: 'hard-bounce' | 'soft-bounces'; since: string };

/**
 * The one reading of a profile's sending fields. A stop (`pausedAt`, with its reason) wins over a
 * `pause`, which lasts until its local date starts in the user's zone.
 */
export function sendingState(
  user: Pick<User, 'pausedAt' | 'pausedUntil' | 'stoppedBecause' | 'timeZone'>,
  now: Date,
): SendingState {
  if (user.pausedAt) {
    const reason = user.stoppedBecause ?? 'unsubscribed';
    return reason === 'hard-bounce' || reason === 'soft-bounces'
      ? { state: 'bouncing', reason, since: user.pausedAt }
      : { state: 'unsubscribed', reason, since: user.pausedAt };
  }
  if (user.pausedUntil && user.pausedUntil > localDate(now, user.timeZone)) {
    return { state: 'paused', until: user.pausedUntil };
  }
  return { state: 'active' };
}

const reasonLabels: Record<StopReason, string> = {
  unsubscribed: 'unsubscribed',
  complaint: 'marked a digest as spam',
  'hard-bounce': 'a digest bounced',
  'soft-bounces': `${softBouncesAsHard} digests in a row bounced softly`,
};

/** One line: `active`, `paused until 2026-03-16`, `unsubscribed`, `bouncing (a digest bounced)`. */
export function sendingStateLabel(state: SendingState): string {
  if (state.state === 'paused') return `paused until ${state.until}`;
  if (state.state === 'active') return 'active';
  if (state.state === 'unsubscribed' && state.reason === 'unsubscribed') return 'unsubscribed';
  return `${state.state} (${reasonLabels[state.reason]})`;
}

/**
 * The next digest a user is due, by their sending state: none while stopped; a paused user's first
 * on the day the pause ends; otherwise their next slot after now.
 */
export function nextDigestFor(
  user: Pick<
    User,
    'pausedAt' | 'pausedUntil' | 'stoppedBecause' | 'timeZone' | 'digestAt' | 'frequency'
  >,
  now: Date,
): { at: Date; slot: string; localDate: string } | null {
  const state = sendingState(user, now);
  if (state.state === 'unsubscribed' || state.state === 'bouncing') return null;
  const after =
    state.state === 'paused'
      ? DateTime.fromISO(state.until, { zone: user.timeZone })
          .startOf('day')
          .minus({ milliseconds: 1 })
          .toJSDate()
      : now;
  return nextDigest(scheduleOf(user), after);
}
