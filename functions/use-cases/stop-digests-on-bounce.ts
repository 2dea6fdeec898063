import type { Clock, DigestStore, Logger, UserStore } from '#domain/ports.ts';
import { type StopReason, softBouncesAsHard } from '#domain/sending-state.ts';

export type SesNoticeKind = 'hard-bounce' | 'soft-bounce' | 'complaint' | 'delivery';

export type StopDigestsOutcome =
  | { status: 'stopped'; userId: string; reason: StopReason }
  | { status: 'soft-bounce-counted'; userId: string; inARow: number }
  | { status: 'delivered'; userId: string }
  | { status: 'unknown-address' };

/**
 * What SES said about a digest sent to an address: stop sending to that user when it cannot arrive
 * or is not wanted.
 *
 * Primary course:
 * 1. Find the user by the address SES named (a digest goes only to a user's own address).
 * 2. A hard bounce stops their digests as `bouncing`, a complaint as `unsubscribed`, with the reason
 *    on the profile, so a dead mailbox or an unwilling reader does not hurt the sending reputation
 *    every instance depends on. `givefirst user resume` undoes it.
 * 3. A soft bounce is counted once per notification (a set on the profile, no read-modify-write);
 *    the third in a row stops them as a hard bounce would. A delivery clears the count.
 */
export function makeStopDigestsOnBounce(deps: {
  store: Pick<UserStore, 'findUserByAddress'> &
    Pick<DigestStore, 'pauseDigests' | 'countSoftBounce' | 'clearSoftBounces'>;
  clock: Clock;
  logger: Logger;
}) {
  return async function stopDigests(
    address: string,
    kind: SesNoticeKind,
    notificationId = '',
  ): Promise<StopDigestsOutcome> {
    const user = await deps.store.findUserByAddress(address);
    if (!user) {
      deps.logger.warn('ses notice for no user', { kind });
      return { status: 'unknown-address' };
    }
    if (kind === 'delivery') {
      await deps.store.clearSoftBounces(user.userId);
      return { status: 'delivered', userId: user.userId };
    }
    let reason: StopReason = kind === 'complaint' ? 'complaint' : 'hard-bounce';
    if (kind === 'soft-bounce') {
      const inARow = await deps.store.countSoftBounce(user.userId, notificationId);
      if (inARow < softBouncesAsHard) {
        deps.logger.info('soft bounce counted', { userId: user.userId, inARow });
        return { status: 'soft-bounce-counted', userId: user.userId, inARow };
      }
      reason = 'soft-bounces';
    }
    await deps.store.pauseDigests(user.userId, deps.clock(), reason);
    deps.logger.info('digests stopped', { userId: user.userId, reason });
    return { status: 'stopped', userId: user.userId, reason };
  };
}

/** A notice as read from SES's JSON, acted on for each address it names. */
export async function stopDigestsForNotice(
  stopDigests: ReturnType<typeof makeStopDigestsOnBounce>,
  notice: { kind: SesNoticeKind; addresses: string[]; notificationId: string },
): Promise<StopDigestsOutcome[]> {
  const outcomes: StopDigestsOutcome[] = [];
  for (const address of notice.addresses) {
    outcomes.push(await stopDigests(address, notice.kind, notice.notificationId));
  }
  return outcomes;
}
