import { buildLedger, type ContactLedger, type HelpItem, helpFirst } from '#domain/help-first.ts';
import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, LedgerStore } from '#domain/ports.ts';
import { buildThreads, knownAt, type ThreadView } from '#domain/threads.ts';

export interface Relationships {
  ledger: ContactLedger[];
  threads: ThreadView[];
  helpFirst: { items: HelpItem[]; more: number };
}

/**
 * A user's relationships at a moment: each contact's ledger, the threads, and Help first.
 *
 * Primary course:
 * 1. Read every message logged for the user (one Query, paged; only the fields the views read),
 *    keeping those dated and received by `asOf`: a past moment is judged as it was.
 * 2. Build the threads (for replies seen in the user's own mail, let-go contacts, and which
 *    conversation each message belongs to).
 * 3. Build each contact's ledger and rank Help first, judged at `asOf` on the user's calendar.
 */
export function makeRelationships(deps: {
  store: Pick<LedgerStore, 'listThreadMessages'>;
  clock: Clock;
}) {
  return async function relationships(user: User, asOf?: Date): Promise<Relationships> {
    const now = asOf ?? deps.clock();
    const messages = knownAt(
      oneRecordPerSentMail(await deps.store.listThreadMessages(user.userId)),
      now,
    );
    const membership = new Map<string, string>();
    const threads = buildThreads(messages, user.timeZone, now, membership);
    const settings = { timeZone: user.timeZone, neverLog: user.neverLog };
    const ledger = buildLedger(messages, threads, settings, now, membership);
    return { ledger, threads, helpFirst: helpFirst(ledger, settings, now) };
  };
}
