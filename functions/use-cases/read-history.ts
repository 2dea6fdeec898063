import { DateTime } from 'luxon';
import type { PausedLedger } from '#domain/help-first.ts';
import {
  buildCheckpoint,
  foldsOn,
  type HistoryCheckpoint,
  settledIdsByShard,
  settledShardsFor,
  withSince,
} from '#domain/history-checkpoint.ts';
import type { User } from '#domain/model.ts';
import type { Clock, HistoryStore, LedgerStore, Logger } from '#domain/ports.ts';
import { historyHorizonMonths } from '#domain/retention.ts';
import type { ThreadMessage } from '#domain/threads.ts';

/** What the views fold: messages, and the paused ledger to fold them on when read from a checkpoint. */
export interface History {
  messages: ThreadMessage[];
  resume?: PausedLedger;
  read: 'checkpoint' | 'everything';
}

/** The store a view reads a history from; without the checkpoint's methods, every message. */
export type HistorySource = Pick<LedgerStore, 'listThreadMessages'> &
  Partial<
    Pick<
      HistoryStore,
      'getCheckpoint' | 'checkpointBuiltAt' | 'listThreadMessagesLoggedSince' | 'getSettledIds'
    >
  >;

/**
 * Whether the messages logged since a checkpoint fold on it, reading the settled-id shards of the
 * ids they are looked up by (none when they link only to kept mail).
 */
async function foldsOnRead(
  settledIds: HistoryStore['getSettledIds'],
  userId: string,
  checkpoint: HistoryCheckpoint,
  since: ThreadMessage[],
): Promise<boolean> {
  const shards = settledShardsFor(checkpoint, since);
  const settled = shards.length > 0 ? await settledIds(userId, shards) : new Map();
  return foldsOn(checkpoint, since, settled);
}

/** A refresh reads again what was logged in the last two minutes (clocks differ; the index lags). */
const refreshOverlapMs = 2 * 60_000;

/**
 * A user's history as the views need it at `asOf`.
 *
 * Primary course:
 * 1. Read the checkpoint and the messages logged since it (a Get and a BatchGetItem, one Query of
 *    the index, one Get of its head again: read again if a refresh moved it meanwhile).
 * 2. When they fold on it (one BatchGetItem of the settled-id shards of the ids they link by, when
 *    they link to mail the checkpoint does not keep), those are the history, with the paused
 *    ledger.
 * 3. Otherwise (no checkpoint, a moment before it, very late mail, a reply to a settled thread):
 *    every message, as before, with the checkpoint's kept messages.
 */
export async function readHistory(
  store: HistorySource,
  userId: string,
  asOf: Date,
): Promise<History> {
  let checkpoint =
    store.getCheckpoint && store.getSettledIds ? await store.getCheckpoint(userId) : null;
  // A refresh that moved the checkpoint meanwhile may have taken what this read missed out of the
  // recent listing: read again (twice at most, then everything).
  for (let attempt = 0; checkpoint && attempt < 3; attempt++) {
    const settledIds = store.getSettledIds?.bind(store);
    if (!store.listThreadMessagesLoggedSince || !settledIds) break;
    if (asOf.toISOString() < checkpoint.builtAt) break;
    const since = await store.listThreadMessagesLoggedSince(userId, checkpoint.builtAt);
    const still = store.checkpointBuiltAt
      ? (await store.checkpointBuiltAt(userId)) === checkpoint.builtAt
      : true;
    if (!still) {
      checkpoint = store.getCheckpoint ? await store.getCheckpoint(userId) : null;
      continue;
    }
    if (await foldsOnRead(settledIds, userId, checkpoint, since))
      return {
        messages: withSince(checkpoint.kept, since),
        resume: checkpoint.ledger,
        read: 'checkpoint',
      };
    break;
  }
  const everything = await store.listThreadMessages(userId);
  return { messages: withSince(everything, checkpoint?.kept ?? []), read: 'everything' };
}

/**
 * Brings a user's history checkpoint up to now, so that the next views read only what can still
 * matter. Idempotent and safe to run twice at once: the head moves only forward.
 *
 * Primary course:
 * 1. Read the checkpoint and the messages logged since (or every message, when they do not fold
 *    on it or there is none).
 * 2. Fold them into a new checkpoint as of a moment just before this read began.
 * 3. Write it: the ids of the messages it dropped into their settled-id shards (only the shards
 *    that change), its chunks, then its head; then each message it now holds leaves the recent
 *    listing and expires at the horizon (a crash before leaves them listed, read again and counted
 *    once).
 */
export function makeRefreshHistory(deps: {
  store: Pick<LedgerStore, 'listThreadMessages'> & HistoryStore;
  clock: Clock;
  logger: Logger;
}) {
  return async function refreshHistory(user: User): Promise<void> {
    const { store } = deps;
    const builtAt = new Date(deps.clock().getTime() - refreshOverlapMs);
    const previous = await store.getCheckpoint(user.userId);
    if (previous && previous.builtAt >= builtAt.toISOString()) return;
    const since = previous
      ? await store.listThreadMessagesLoggedSince(user.userId, previous.builtAt)
      : [];
    const folds =
      previous !== null &&
      (await foldsOnRead(store.getSettledIds.bind(store), user.userId, previous, since));
    const read = folds ? since : await store.listThreadMessages(user.userId);
    const { checkpoint, dropped } = buildCheckpoint({
      messages: withSince(previous?.kept ?? [], read),
      previous: folds ? previous : null,
      timeZone: user.timeZone,
      builtAt,
    });
    const settle = settledIdsByShard(dropped);
    if (!(await store.putCheckpoint(user.userId, checkpoint, { settle }))) return;
    const at = checkpoint.builtAt;
    const from = previous?.builtAt ?? '';
    const settled = read
      .filter((m) => m.loggedAt !== undefined && m.loggedAt >= from && m.loggedAt < at)
      .map((m) => ({
        messageKey: m.messageKey,
        expiresAt: DateTime.fromISO(m.sentAt).plus({ months: historyHorizonMonths }).toJSDate(),
      }));
    await store.settleMessages(user.userId, settled);
    deps.logger.info('history checkpoint refreshed', {
      userId: user.userId,
      read: folds ? 'since' : 'everything',
      kept: checkpoint.kept.length,
      dropped: dropped.length,
      settledIdShards: settle.size,
      settled: settled.length,
    });
  };
}
