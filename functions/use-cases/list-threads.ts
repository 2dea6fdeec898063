import type { User } from '#domain/model.ts';
import type { Clock, LedgerStore, SteeringStore } from '#domain/ports.ts';
import { digestHistoryFrom, steerThreads } from '#domain/steering.ts';
import { buildThreads, type ThreadView } from '#domain/threads.ts';

/**
 * A user's threads and where each awaited reply stands.
 *
 * Primary course:
 * 1. Read every message logged for the user (one Query, paged), and what their reply commands
 *    steered, with the digests they were sent lately.
 * 2. Build the threads and fold the nudge ladder of each (thread, contact), judged at `asOf`
 *    (default: the clock) on the user's calendar, then apply the steering (done, dropped,
 *    revived, snoozed, the three-digest let-go).
 */
export function makeListThreads(deps: {
  store: LedgerStore;
  steering?: Pick<SteeringStore, 'listSteers' | 'digestsSince'>;
  clock: Clock;
}) {
  return async function listThreads(user: User, asOf?: Date): Promise<ThreadView[]> {
    const now = asOf ?? deps.clock();
    const [messages, steers, digests] = await Promise.all([
      deps.store.listThreadMessages(user.userId),
      deps.steering?.listSteers(user.userId) ?? [],
      deps.steering?.digestsSince(user.userId, digestHistoryFrom(now, user.timeZone)) ?? [],
    ]);
    const threads = buildThreads(messages, user.timeZone, now);
    if (!deps.steering) return threads;
    const byKey = new Map(steers.map((s) => [s.key, s]));
    return steerThreads(threads, byKey, digests, now, user.timeZone).threads;
  };
}
