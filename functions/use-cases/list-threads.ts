import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, LedgerStore } from '#domain/ports.ts';
import { buildThreads, type ThreadView } from '#domain/threads.ts';

/**
 * A user's threads and where each awaited reply stands.
 *
 * Primary course:
 * 1. Read every message logged for the user (one Query, paged).
 * 2. Build the threads and fold the nudge ladder of each (thread, contact), judged at `asOf`
 *    (default: the clock) on the user's calendar.
 */
export function makeListThreads(deps: { store: LedgerStore; clock: Clock }) {
  return async function listThreads(user: User, asOf?: Date): Promise<ThreadView[]> {
    const messages = oneRecordPerSentMail(await deps.store.listThreadMessages(user.userId));
    return buildThreads(messages, user.timeZone, asOf ?? deps.clock());
  };
}
