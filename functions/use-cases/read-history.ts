import { DateTime } from 'luxon';
import type { PausedLedger } from '#domain/help-first.ts';
import {
  buildCheckpoint,
  coldToRead,
  foldsOn,
  type HistoryCheckpoint,
  settledIdsByShard,
  settledShardsFor,
  withColdContacts,
  withSince,
} from '#domain/history-checkpoint.ts';
import type { User } from '#domain/model.ts';
import type { Clock, HistoryStore, LedgerStore, Logger } from '#domain/ports.ts';
import {
  afterHorizon,
  checkpointRefreshDays,
  checkpointRefreshMessages,
} from '#domain/retention.ts';
import type { ThreadMessage, ThreadView } from '#domain/threads.ts';

/** What the views fold: messages, and the paused ledger to fold them on when read from a checkpoint. */
export interface History {
  messages: ThreadMessage[];
  resume?: PausedLedger;
  /** The checkpoint's frozen threads (`HistoryCheckpoint.frozen`), when read from it. */
  frozen?: ThreadView[];
  read: 'checkpoint' | 'everything';
  /** Read from a checkpoint: when it was built and how many messages were logged since. */
  checkpoint?: CheckpointViewed;
}

/** What a view learnt of the checkpoint it folded on: enough to say whether a refresh is due. */
export interface CheckpointViewed {
  builtAt: string;
  loggedSince: number;
}

/** What a view reads of a checkpoint. */
type CheckpointReads = Pick<
  HistoryStore,
  | 'getCheckpoint'
  | 'checkpointBuiltAt'
  | 'listThreadMessagesLoggedSince'
  | 'getSettledIds'
  | 'getColdContacts'
>;

/** The store a view reads a history from; without the checkpoint's methods, every message. */
export type HistorySource = Pick<LedgerStore, 'listThreadMessages'> & Partial<CheckpointReads>;

const readsCheckpoints = (store: HistorySource): store is HistorySource & CheckpointReads =>
  store.getCheckpoint !== undefined &&
  store.checkpointBuiltAt !== undefined &&
  store.listThreadMessagesLoggedSince !== undefined &&
  store.getSettledIds !== undefined &&
  store.getColdContacts !== undefined;

/**
 * Whose ledger a view reads: everyone's (`contacts`, an export, a reply naming people), or only what
 * Help first can show: the cold contacts the mail since names and those `also` gives (those whose
 * cadence the user set longer than the default); the hot ones are in the checkpoint.
 */
export type ContactsRead = 'everyone' | { also: PromiseLike<Iterable<string>> | Iterable<string> };

/**
 * The checkpoint with the cold contacts a view reads, when the messages logged since fold on it
 * (the settled-id shards of the ids they link by, read in the same round as the cold contacts);
 * null when they do not, or a cold contact was paused by a later checkpoint.
 */
async function onCheckpoint(
  store: Pick<HistoryStore, 'getSettledIds' | 'getColdContacts'>,
  userId: string,
  checkpoint: HistoryCheckpoint,
  since: ThreadMessage[],
  contacts: ContactsRead,
): Promise<HistoryCheckpoint | null> {
  const shards = settledShardsFor(checkpoint, since);
  const cold = async () => {
    if (contacts === 'everyone') return store.getColdContacts(userId, 'everyone');
    const addresses = coldToRead(checkpoint, since, await contacts.also);
    return addresses.length > 0 ? store.getColdContacts(userId, addresses) : [];
  };
  const [settled, coldContacts] = await Promise.all([
    shards.length > 0 ? store.getSettledIds(userId, shards) : new Map(),
    cold(),
  ]);
  if (!foldsOn(checkpoint, since, settled)) return null;
  return withColdContacts(checkpoint, coldContacts);
}

/** A refresh reads again what was logged in the last two minutes (clocks differ; the index lags). */
const refreshOverlapMs = 2 * 60_000;

/**
 * A user's history as the views need it at `asOf`.
 *
 * Primary course:
 * 1. Read the checkpoint and the messages logged since it (a Get and a BatchGetItem, one Query of
 *    the index, one Get of its head again: read again if a refresh moved it meanwhile).
 * 2. Read the settled-id shards of the ids the mail since links by (none when it links only to kept
 *    mail) and the cold contacts asked for, in one round. When the mail since folds on the
 *    checkpoint, it is the history, with the paused ledger and those cold contacts.
 * 3. Otherwise (no checkpoint, a moment before it, very late mail, a reply to a settled thread):
 *    every message, as before, with the checkpoint's kept messages.
 */
export async function readHistory(
  store: HistorySource,
  userId: string,
  asOf: Date,
  contacts: ContactsRead = 'everyone',
): Promise<History> {
  const reads = readsCheckpoints(store) ? store : null;
  let checkpoint = reads ? await reads.getCheckpoint(userId) : null;
  // A refresh that moved the checkpoint meanwhile may have taken what this read missed out of the
  // recent listing: read again (twice at most, then everything).
  for (let attempt = 0; reads && checkpoint && attempt < 3; attempt++) {
    if (asOf.toISOString() < checkpoint.builtAt) break;
    const since = await reads.listThreadMessagesLoggedSince(userId, checkpoint.builtAt);
    if ((await reads.checkpointBuiltAt(userId)) !== checkpoint.builtAt) {
      checkpoint = await reads.getCheckpoint(userId);
      continue;
    }
    const read = await onCheckpoint(reads, userId, checkpoint, since, contacts);
    if (read)
      return {
        messages: withSince(read.kept, since),
        resume: read.ledger,
        frozen: read.frozen ?? [],
        read: 'checkpoint',
        checkpoint: { builtAt: checkpoint.builtAt, loggedSince: since.length },
      };
    break;
  }
  const everything = await store.listThreadMessages(userId);
  return { messages: withSince(everything, checkpoint?.kept ?? []), read: 'everything' };
}

/**
 * Brings a user's history checkpoint up to now, so that the next views read only what can still
 * matter: when there is none, when the mail since no longer folds on it, or when it is a week old
 * or 200 messages behind (a refresh writes and settles; until then the views read the mail since).
 * Idempotent and safe to run twice at once: the head moves only forward.
 *
 * Primary course:
 * 1. Read the checkpoint and the messages logged since, with the settled-id shards and the cold
 *    contacts they need (or every message, when they do not fold on it or there is none).
 * 2. Fold them into a new checkpoint as of a moment just before this read began.
 * 3. Write it: the ids of the messages it dropped into their settled-id shards and the contacts
 *    it paused cold into theirs (only the shards that change), its chunks, then its head; then each message it now holds leaves the recent
 *    listing and expires at the horizon (a crash before leaves them listed, read again and counted
 *    once).
 */
export function makeRefreshHistory(deps: {
  store: Pick<LedgerStore, 'listThreadMessages'> & HistoryStore;
  clock: Clock;
  logger: Logger;
}) {
  /** Whether a checkpoint the mail since still folds on is old enough, or far enough behind, to build again. */
  const due = (builtAt: string, loggedSince: number) =>
    loggedSince >= checkpointRefreshMessages ||
    DateTime.fromISO(builtAt).plus({ days: checkpointRefreshDays }) <=
      DateTime.fromJSDate(deps.clock());

  /**
   * `viewed`: what the view just built (the digest) read of the checkpoint, when it folded on it; if
   * that says no refresh is due, nothing is read again.
   */
  return async function refreshHistory(user: User, viewed?: CheckpointViewed): Promise<void> {
    if (viewed && !due(viewed.builtAt, viewed.loggedSince)) return;
    const { store } = deps;
    const builtAt = new Date(deps.clock().getTime() - refreshOverlapMs);
    const previous = await store.getCheckpoint(user.userId);
    if (previous && previous.builtAt >= builtAt.toISOString()) return;
    const since = previous
      ? await store.listThreadMessagesLoggedSince(user.userId, previous.builtAt)
      : [];
    // The cold contacts the mail since names are folded with it.
    const on = previous && (await onCheckpoint(store, user.userId, previous, since, { also: [] }));
    const folds = on !== null;
    if (previous && folds && !due(previous.builtAt, since.length)) return;
    const read = folds ? since : await store.listThreadMessages(user.userId);
    const { checkpoint, dropped, cold } = buildCheckpoint({
      messages: withSince(previous?.kept ?? [], read),
      previous: on,
      timeZone: user.timeZone,
      builtAt,
    });
    const settle = settledIdsByShard(dropped);
    if (!(await store.putCheckpoint(user.userId, checkpoint, { settle, cold }))) return;
    const at = checkpoint.builtAt;
    const from = previous?.builtAt ?? '';
    const settled = read
      .filter((m) => m.loggedAt !== undefined && m.loggedAt >= from && m.loggedAt < at)
      .map((m) => ({
        messageKey: m.messageKey,
        expiresAt: afterHorizon(m.sentAt),
      }));
    await store.settleMessages(user.userId, settled);
    deps.logger.info('history checkpoint refreshed', {
      userId: user.userId,
      read: folds ? 'since' : 'everything',
      kept: checkpoint.kept.length,
      hot: checkpoint.ledger.contacts.length,
      cold: cold.length,
      dropped: dropped.length,
      settledIdShards: settle.size,
      settled: settled.length,
    });
  };
}
