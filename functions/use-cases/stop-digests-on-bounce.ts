import type { Clock, DigestStore, Logger, UserStore } from '#domain/ports.ts';

export type StopDigestsOutcome =
  | { status: 'stopped'; userId: string; reason: 'hard-bounce' | 'complaint' }
  | { status: 'unknown-address' };

/**
 * A digest hard-bounced or its recipient complained: stop sending to that user.
 *
 * Primary course:
 * 1. Find the user by the address SES named (a digest goes only to a user's own address).
 * 2. Stop their digests at once (the same state one-click unsubscribe sets), so a dead mailbox or
 *    an unwilling reader does not hurt the sending reputation every instance depends on.
 * 3. Record why in the log; `givefirst user resume` undoes it.
 */
export function makeStopDigestsOnBounce(deps: {
  store: Pick<UserStore, 'findUserByAddress'> & Pick<DigestStore, 'pauseDigests'>;
  clock: Clock;
  logger: Logger;
}) {
  return async function stopDigests(
    address: string,
    reason: 'hard-bounce' | 'complaint',
  ): Promise<StopDigestsOutcome> {
    const user = await deps.store.findUserByAddress(address);
    if (!user) {
      deps.logger.warn('ses notice for no user', { reason });
      return { status: 'unknown-address' };
    }
    await deps.store.pauseDigests(user.userId, deps.clock());
    deps.logger.info('digests stopped', { userId: user.userId, reason });
    return { status: 'stopped', userId: user.userId, reason };
  };
}
