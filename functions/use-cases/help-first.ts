import {
  buildLedger,
  type ContactLedger,
  defaultCadenceDays,
  type HelpItem,
  helpFirst,
  helpFirstLimit,
} from '#domain/help-first.ts';
import { withFrozen } from '#domain/history-checkpoint.ts';
import type { User } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import type { Clock, SteeringStore } from '#domain/ports.ts';
import {
  cadencesOf,
  digestHistoryFrom,
  type SteeredThreads,
  steerHelp,
  steerThreads,
} from '#domain/steering.ts';
import { buildThreads, knownAt, type ThreadView } from '#domain/threads.ts';
import { type CheckpointViewed, type HistorySource, readHistory } from './read-history.ts';

export interface Relationships {
  /** Every contact's ledger; for a digest (`forDigest`), those Help first can show and the hot ones. */
  ledger: ContactLedger[];
  threads: ThreadView[];
  helpFirst: { items: HelpItem[]; more: number };
  /** Every Help-first item, ranked, past the limit too (what `more` shows). */
  allHelp: HelpItem[];
  /** Let-go pairs the user let go themselves (`drop`): no footer names them. */
  quietlyLetGo: string[];
  /** Pairs the three-digest rule lets go at `asOf` that no record says so yet (the digest records them). */
  lettingGo: SteeredThreads['lettingGo'];
  /** When the history was read from a checkpoint: what was read of it (`readHistory`). */
  checkpoint?: CheckpointViewed;
}

/**
 * A user's relationships at a moment: each contact's ledger, the threads, and Help first.
 *
 * Primary course:
 * 1. Read the user's history (the checkpoint and the messages logged since, or every message;
 *    only the fields the views read), keeping those dated and received by `asOf` (a past moment
 *    is judged as it was), and what their reply commands steered, with the digests they were
 *    sent lately. For a digest, the checkpoint's cold contacts are read only where the mail since
 *    names them or the user set them a cadence longer than the default: no other can be in Help
 *    first.
 * 2. Build the threads (for replies seen in the user's own mail, let-go contacts, and which
 *    conversation each message belongs to), then apply the steering: done, dropped, revived,
 *    snoozed, and the three-digest let-go.
 * 3. Build each contact's ledger and rank Help first, judged at `asOf` on the user's calendar,
 *    without the items the user marked done, dropped or snoozed.
 */
export function makeRelationships(deps: {
  store: HistorySource;
  steering?: Pick<SteeringStore, 'listSteers' | 'digestsSince'>;
  clock: Clock;
}) {
  return async function relationships(
    user: User,
    asOf?: Date,
    options: { forDigest?: boolean } = {},
  ): Promise<Relationships> {
    const now = asOf ?? deps.clock();
    const { timeZone } = user;
    const steersRead = Promise.resolve(deps.steering?.listSteers(user.userId) ?? []);
    const longer = options.forDigest
      ? steersRead.then((steers) =>
          Object.entries(cadencesOf(steers))
            .filter(([, days]) => days > defaultCadenceDays)
            .map(([address]) => address),
        )
      : null;
    // Its failure is the steers' own, which the Promise.all below reports; unhandled here, it would
    // stop the process.
    longer?.catch(() => {});
    const [history, steerList, digests] = await Promise.all([
      readHistory(deps.store, user.userId, now, longer ? { also: longer } : 'everyone'),
      steersRead,
      deps.steering?.digestsSince(user.userId, digestHistoryFrom(now, timeZone)) ?? [],
    ]);
    const messages = oneRecordPerSentMail(knownAt(history.messages, now));
    const steers = new Map(steerList.map((s) => [s.key, s]));
    const membership = new Map<string, string>();
    const frozen = history.frozen ?? [];
    const built = withFrozen(buildThreads(messages, timeZone, now, membership), frozen);
    const { threads, quietlyLetGo, lettingGo } = steerThreads(
      built,
      steers,
      digests,
      now,
      timeZone,
    );
    const settings = { timeZone, neverLog: user.neverLog, cadences: cadencesOf(steerList) };
    const folded = new Set(frozen.map((t) => t.threadKey));
    const ledger = buildLedger(
      messages,
      threads,
      settings,
      now,
      membership,
      history.resume,
      folded,
    );
    const ranked = helpFirst(ledger, settings, now, Number.POSITIVE_INFINITY);
    const allHelp = steerHelp(ranked.items, steers, now, timeZone);
    const items = allHelp.slice(0, helpFirstLimit);
    return {
      ledger,
      threads,
      helpFirst: { items, more: allHelp.length - items.length },
      allHelp,
      quietlyLetGo,
      lettingGo,
      ...(history.checkpoint ? { checkpoint: history.checkpoint } : {}),
    };
  };
}
