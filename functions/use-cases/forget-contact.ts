import { checkpointWithout } from '#domain/history-checkpoint.ts';
import type { User } from '#domain/model.ts';
import type {
  AccountStore,
  DigestStore,
  HistoryStore,
  LedgerStore,
  RawMailStore,
  SteeringStore,
} from '#domain/ports.ts';
import {
  digestItemsWithout,
  keyNames,
  namesContact,
  withoutContact,
} from '#domain/without-contact.ts';
import type { Relationships } from './help-first.ts';

/** What forgetting a contact removed. */
export interface ForgotContact {
  /** Messages that named them: removed, or rewritten without them when they named others too. */
  messages: number;
  /** Threads on which a reply was awaited from them. */
  threads: number;
  /** Steers, digest items and let-go names about them. */
  other: number;
  /** They were on the never-log list before. */
  wasNeverLogged: boolean;
}

export type ForgetContact = (user: User, address: string, now: Date) => Promise<ForgotContact>;

/**
 * `forget alice@x.com`: every record of a contact, for one user.
 *
 * Primary course:
 * 1. Put them on the never-log list first: no mail naming them is logged while the rest goes, and
 *    a reply of theirs parked for later is refused when it is decided again.
 * 2. Count the threads that awaited them (threads are computed from messages: they follow).
 * 3. Each message that names them: the raw mail and the receipt that logged it go (the mail as
 *    received names them too); then the message goes when they are its only contact, and is
 *    written again without them otherwise (its other contacts keep their ledger), the item last.
 * 4. The history checkpoint is rewritten without them; the steers, the numbered items of past
 *    digests and the let-go names about them go.
 * Every step is idempotent: the same receipt run again after a crash, or another `forget` of the
 * same address, finishes the work.
 */
export function makeForgetContact(deps: {
  ledger: Pick<LedgerStore, 'listMessages'>;
  account: AccountStore;
  rawMail: Pick<RawMailStore, 'remove'>;
  steering: Pick<SteeringStore, 'listSteers' | 'updateSettings' | 'digestsSince'>;
  digests: Pick<DigestStore, 'letGoShown'>;
  relationships: (user: User, asOf?: Date) => Promise<Relationships>;
  /** The history checkpoint, which folds and keeps what it can of older mail. */
  history?: Pick<HistoryStore, 'getCheckpoint' | 'putCheckpoint' | 'forgetColdContact'>;
}): ForgetContact {
  return async function forgetContact(user, address, now) {
    const wasNeverLogged = user.neverLog.includes(address);
    if (!wasNeverLogged) {
      await deps.steering.updateSettings(user.userId, { neverLog: address });
    }
    const rel = await deps.relationships(user, now);
    const threads = rel.threads.filter((t) => t.contacts.some((c) => c.address === address)).length;

    let messages = 0;
    for (const message of await deps.ledger.listMessages(user.userId)) {
      if (!namesContact(message, address)) continue;
      messages++;
      // The mail as received names them too: it goes first, found through the message item.
      await deps.account.removeReceipt(message.receiptId, deps.rawMail);
      const rewritten = withoutContact(message, address);
      if (rewritten) await deps.account.replaceMessage(rewritten);
      else await deps.account.removeMessage(user.userId, message.messageKey);
    }

    // The checkpoint folded their older mail into their ledger and keeps some of it: rewritten
    // without them (read again if a refresh moved it meanwhile).
    for (let tries = 0; deps.history && tries < 3; tries++) {
      const checkpoint = await deps.history.getCheckpoint(user.userId);
      if (!checkpoint) break;
      const without = checkpointWithout(checkpoint, address);
      if (JSON.stringify(without) === JSON.stringify(checkpoint)) break;
      if (await deps.history.putCheckpoint(user.userId, without, { replacing: true })) break;
    }
    // And out of the contacts it keeps apart (those no mail touched for half a year).
    await deps.history?.forgetColdContact(user.userId, address);

    const steers = (await deps.steering.listSteers(user.userId))
      .map((s) => s.key)
      .filter((k) => keyNames(k, address));
    await deps.account.removeSteers(user.userId, steers);
    let other = steers.length;
    for (const digest of await deps.steering.digestsSince(user.userId, '2000-01-01')) {
      const items = digestItemsWithout(digest.items, address);
      if (items.length === digest.items.length) continue;
      await deps.account.replaceDigestItems(user.userId, digest.localDate, items);
      other += digest.items.length - items.length;
    }
    const shown = (await deps.digests.letGoShown(user.userId)).filter((k) => keyNames(k, address));
    await deps.account.removeLetGoShown(user.userId, shown);
    other += shown.length;
    return { messages, threads, other, wasNeverLogged };
  };
}
