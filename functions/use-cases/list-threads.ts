import { withFrozen } from '#domain/history-checkpoint.ts';
import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, SteeringStore } from '#domain/ports.ts';
import { digestHistoryFrom, steerThreads } from '#domain/steering.ts';
import { buildThreads, knownAt, type ThreadView } from '#domain/threads.ts';
import { type HistorySource, readHistory } from './read-history.ts';

/**
 * A user's threads and where each awaited reply stands.
 *
 * Primary course:
 * 1. Read the user's history (the checkpoint and the messages logged since, or every message),
 *    keeping those dated and received
 *    by `asOf` (default: the clock): a past moment is judged as it was; and what their reply
 *    commands steered, with the digests they were sent lately.
 * 2. Build the threads and fold the nudge ladder of each (thread, contact), judged at `asOf` on
 *    the user's calendar, then apply the steering (done, dropped, revived, snoozed, the
 *    three-digest let-go).
 */
export function makeListThreads(deps: {
  store: HistorySource;
  steering?: Pick<SteeringStore, 'listSteers' | 'digestsSince'>;
  clock: Clock;
}) {
  return async function listThreads(user: User, asOf?: Date): Promise<ThreadView[]> {
    const now = asOf ?? deps.clock();
    const [history, steers, digests] = await Promise.all([
      // Threads read no ledger: no cold contact but those the mail since names.
      readHistory(deps.store, user.userId, now, { also: [] }),
      deps.steering?.listSteers(user.userId) ?? [],
      deps.steering?.digestsSince(user.userId, digestHistoryFrom(now, user.timeZone)) ?? [],
    ]);
    const threads = withFrozen(
      buildThreads(oneRecordPerSentMail(knownAt(history.messages, now)), user.timeZone, now),
      history.frozen,
    );
    if (!deps.steering) return threads;
    const byKey = new Map(steers.map((s) => [s.key, s]));
    return steerThreads(threads, byKey, digests, now, user.timeZone).threads;
  };
}
