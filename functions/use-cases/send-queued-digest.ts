import { dueToday, scheduleOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import type { Clock, DueUser, Logger, UserStore } from '#domain/ports.ts';
import { sendingState } from '#domain/sending-state.ts';
import type { SendDigestOutcome } from './send-digest.ts';

export type QueuedDigestOutcome =
  | SendDigestOutcome
  | { status: 'no-such-user' }
  | { status: 'not-active'; state: string }
  | { status: 'not-due-today' };

/**
 * Send the digest the scheduler queued for one user (the AWS digest worker).
 *
 * Primary course:
 * 1. Read the user the message names; one deleted since is skipped.
 * 2. Check again what the scheduler checked, as time has passed: the user is still active
 *    (not unsubscribed, paused or bouncing since) and their digest is still due today.
 * 3. Send it with the same send-digest use case the scheduler uses inline: at most one digest per
 *    user per local day, so a redelivered message never sends a second.
 */
export function makeSendQueuedDigest(deps: {
  store: Pick<UserStore, 'getUser'>;
  sendDigest: (user: User) => Promise<SendDigestOutcome>;
  clock: Clock;
  logger: Logger;
}) {
  return async function sendQueuedDigest(due: DueUser): Promise<QueuedDigestOutcome> {
    const user = await deps.store.getUser(due.userId);
    if (!user) {
      deps.logger.info('queued digest for a user no longer there', { userId: due.userId });
      return { status: 'no-such-user' };
    }
    const now = deps.clock();
    const state = sendingState(user, now);
    if (state.state !== 'active') {
      deps.logger.info('digest not sent', { userId: user.userId, ...state });
      return { status: 'not-active', state: state.state };
    }
    // A message that waited past the user's day (a redrive from the dead-letter queue) sends
    // nothing: their next slot is already in the index.
    if (!dueToday(scheduleOf(user), now)) {
      deps.logger.info('queued digest no longer due today', {
        userId: user.userId,
        slot: due.slot,
      });
      return { status: 'not-due-today' };
    }
    return deps.sendDigest(user);
  };
}
