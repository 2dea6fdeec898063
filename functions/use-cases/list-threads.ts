import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, LedgerStore } from '#domain/ports.ts';
import { buildThreads, knownAt, type ThreadView } from '#domain/threads.ts';

/**
 * A user's threads and where each awaited reply stands.
 *
 * Primary course:
 * 1. Read every message logged for the user (one Query, paged), keeping those dated and received
 *    by `asOf` (default: the clock): a past moment is judged as it was.
 * 2. Build the threads and fold the nudge ladder of each (thread, contact), judged at `asOf` on
 *    the user's calendar.
 */
export function makeListThreads(deps: {
  store: Pick<LedgerStore, 'listThreadMessages'>;
  clock: Clock;
}) {
  return async function listThreads(user: User, asOf?: Date): Promise<ThreadView[]> {
    const now = asOf ?? deps.clock();
    const messages = knownAt(
      oneRecordPerSentMail(await deps.store.listThreadMessages(user.userId)),
      now,
    );
    return buildThreads(messages, user.timeZone, now);
  };
}
