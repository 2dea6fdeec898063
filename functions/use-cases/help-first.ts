import { buildLedger, type ContactLedger, type HelpItem, helpFirst } from '#domain/help-first.ts';
import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, LedgerStore } from '#domain/ports.ts';
import { buildThreads, type ThreadView } from '#domain/threads.ts';

export interface Relationships {
  ledger: ContactLedger[];
  threads: ThreadView[];
  helpFirst: { items: HelpItem[]; more: number };
}

/**
 * A user's relationships at a moment: each contact's ledger, the threads, and Help first.
 *
 * Primary course:
 * 1. Read every message logged for the user (one Query, paged; only the fields the views read).
 * 2. Build the threads (for replies seen in the user's own mail and let-go contacts).
 * 3. Build each contact's ledger and rank Help first, judged at `asOf` on the user's calendar.
 */
export function makeRelationships(deps: { store: LedgerStore; clock: Clock }) {
  return async function relationships(user: User, asOf?: Date): Promise<Relationships> {
    const now = asOf ?? deps.clock();
    const messages = oneRecordPerSentMail(await deps.store.listThreadMessages(user.userId));
    const threads = buildThreads(messages, user.timeZone, now);
    const settings = { timeZone: user.timeZone, neverLog: user.neverLog };
    const ledger = buildLedger(messages, threads, settings, now);
    return { ledger, threads, helpFirst: helpFirst(ledger, settings, now) };
  };
}
