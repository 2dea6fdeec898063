import { createHash } from 'node:crypto';
import {
  defaultCadenceDays,
  type PausedContact,
  type PausedLedger,
  pauseLedger,
  staleAfterDays,
} from './help-first.ts';
import { oneRecordPerSentMail } from './one-record-per-sent-mail.ts';
import { lateMailDays } from './retention.ts';
import {
  buildThreads,
  subjectFallbackDays,
  type ThreadMessage,
  type ThreadView,
  threadOrder,
} from './threads.ts';
import { namesContact, withoutContact } from './without-contact.ts';

/**
 * A history checkpoint: the fold of every message logged before `builtAt`, kept small. A view folds
 * the kept messages and those logged since on top of the paused ledger, and gets what folding every
 * message gives (docs/storage.md, "Views read what can still matter", has the proof).
 */
export interface HistoryCheckpoint {
  /** Every message logged before this moment is in it (kept, or folded and dropped). */
  builtAt: string;
  /** The messages that can still change an answer, in the projection the views read. */
  kept: ThreadMessage[];
  /**
   * Threads still open that no mail can change but mail linked to them (which reads everything)
   * or a bounce to an address still awaited on them: every pair due, let go, answered or never
   * awaited, and all their mail dated before `frozenLine` (no later mail can join them by subject).
   * Kept as the views built them; their messages are folded and dropped. Absent in checkpoints
   * written before.
   */
  frozen?: ThreadView[];
  /**
   * Every hot contact's ledger folded over the messages dated before the settle line (`ledger.at`);
   * the cold ones (`isCold`) are kept apart, read only when mail since names them.
   */
  ledger: PausedLedger;
}

/**
 * A cold contact's paused ledger, kept apart from the checkpoint, and the settle line of the
 * checkpoint that first paused it so: a view of an earlier checkpoint cannot use it.
 */
export interface ColdContact {
  contact: PausedContact;
  since: string;
}

/**
 * A contact no touch reached for this long before a checkpoint cannot be going quiet at any moment
 * after it: past a cadence of at most `defaultCadenceDays`, an item nobody acted on for
 * `staleAfterDays` drops out (a day each for rounding).
 */
export const coldAfterDays = defaultCadenceDays + staleAfterDays + 3;

/**
 * The settled ids: Bloom filters of every id (logged or only referred to) of the messages dropped,
 * split by id into shards (`settledShardOf`), each its own run of filters: the Message-IDs of the
 * messages dropped in `settledShardCount` shards, and the ids they referred to that no message
 * dropped with them had, in as many more. A view reads only the shards of the ids it looks up; a
 * shard nothing was added to is `[]`.
 */
export type SettledShards = ReadonlyMap<number, SettledIds[]>;

/**
 * One Bloom filter of Message-IDs: `bits` in base64, `count` ids added of its `capacity`, `hashes`
 * bit positions per id. Each filter holds twice the ids of the one before at half its false
 * positives, so however many are added, a lookup is a false positive once in 10,000 at most.
 */
export interface SettledIds {
  bits: string;
  count: number;
  capacity: number;
  hashes: number;
}

const dayMs = 86_400_000;
/**
 * How many shards the settled ids are split into: a view looks up a few dozen ids a day, so it reads
 * a few dozen small shards (ten years of mail is about 50 ids a shard, one filter of 168 bytes).
 */
export const settledShardCount = 4096;
/** A shard's first filter: this many ids at 0.005% false positives; each next one doubles and halves. */
const firstCapacity = 64;
const firstFalsePositives = 0.00005;

/** A new filter after `n` others. */
function aFilter(n: number): { filter: SettledIds; bits: Buffer<ArrayBufferLike> } {
  const capacity = firstCapacity * 2 ** n;
  const p = firstFalsePositives / 2 ** n;
  const perId = Math.ceil(-Math.log(p) / Math.LN2 ** 2);
  const bytes = Math.ceil((capacity * perId) / 8);
  const hashes = Math.max(1, Math.round(perId * Math.LN2));
  return { filter: { bits: '', count: 0, capacity, hashes }, bits: Buffer.alloc(bytes) };
}

/** The settle line of a checkpoint built at `builtAt`: mail dated before it is folded for good. */
export const settleLine = (builtAt: Date) =>
  new Date(builtAt.getTime() - lateMailDays * dayMs).toISOString();

/**
 * Before this line, an open thread whose pairs can only stay as they are is frozen: mail folded on
 * the checkpoint is dated from its settle line on, too late to join it by subject.
 */
const frozenLine = (builtAt: Date) =>
  new Date(Date.parse(settleLine(builtAt)) - (subjectFallbackDays + 1) * dayMs).toISOString();

/** Pair states no time can change: only mail about the pair can. */
const frozenStates = new Set(['due', 'let-go', 'replied', 'idle']);

/** The threads of a checkpoint's views, built from its messages, with its frozen ones in order. */
export function withFrozen(
  threads: ThreadView[],
  frozen: readonly ThreadView[] = [],
): ThreadView[] {
  if (frozen.length === 0) return threads;
  return [...threads, ...frozen].sort(threadOrder);
}

/** The ids a message links by, as the threads fold reads them (garbled values are no links). */
const idsOf = (m: ThreadMessage) => [
  m.messageId,
  ...[...m.inReplyTo, ...m.references].filter((id) => /^[^\s@]+@[^\s@]+$/.test(id)),
];

const sha256 = (id: string) => createHash('sha256').update(id).digest();

/** Two 32-bit hashes of an id, for double hashing. */
function hashesOf(id: string): [number, number] {
  const hash = sha256(id);
  return [hash.readUInt32BE(0), (hash.readUInt32BE(4) | 1) >>> 0];
}

/** The shard of an id's filters: bits of its hash the filters do not use. */
export const settledShardOf = (id: string, of: 'logged' | 'referred') =>
  (sha256(id).readUInt32BE(8) % settledShardCount) + (of === 'referred' ? settledShardCount : 0);

function* positions([a, b]: [number, number], hashes: number, size: number): Generator<number> {
  for (let i = 0; i < hashes; i++) yield (a + i * b) % size;
}

const isSet = (bits: Buffer, p: number) => ((bits[p >> 3] ?? 0) & (1 << (p & 7))) !== 0;

function hasId(
  filters: readonly SettledIds[],
  decoded: Buffer<ArrayBufferLike>[],
  id: string,
): boolean {
  const h = hashesOf(id);
  return filters.some((f, i) => {
    const bits = decoded[i] as Buffer;
    for (const p of positions(h, f.hashes, bits.length * 8)) if (!isSet(bits, p)) return false;
    return true;
  });
}

/** A shard's filters with these ids added (those it says it holds already are not added again). */
export function withSettledIds(
  filters: readonly SettledIds[],
  ids: Iterable<string>,
): SettledIds[] {
  const out = filters.map((f) => ({ ...f }));
  const decoded: Buffer<ArrayBufferLike>[] = out.map((f) => Buffer.from(f.bits, 'base64'));
  for (const id of ids) {
    if (hasId(out, decoded, id)) continue;
    let last = out.at(-1);
    if (!last || last.count >= last.capacity) {
      const next = aFilter(out.length);
      out.push(next.filter);
      decoded.push(next.bits);
      last = next.filter;
    }
    const bits = decoded.at(-1) as Buffer;
    for (const p of positions(hashesOf(id), last.hashes, bits.length * 8))
      bits[p >> 3] = (bits[p >> 3] ?? 0) | (1 << (p & 7));
    last.count += 1;
  }
  out.forEach((f, i) => {
    f.bits = (decoded[i] as Buffer).toString('base64');
  });
  return out;
}

/** The messages of a checkpoint and those logged since, once each, in key order (the store's). */
export function withSince(kept: ThreadMessage[], since: ThreadMessage[]): ThreadMessage[] {
  const byKey = new Map<string, ThreadMessage>();
  for (const m of [...kept, ...since]) if (!byKey.has(m.messageKey)) byKey.set(m.messageKey, m);
  return [...byKey.values()].sort((a, b) =>
    a.messageKey < b.messageKey ? -1 : a.messageKey > b.messageKey ? 1 : 0,
  );
}

/**
 * The messages logged since a checkpoint that it does not keep, and the shards each of their ids is
 * looked up in.
 */
function lookups(checkpoint: HistoryCheckpoint, since: ThreadMessage[]) {
  const kept = new Set(checkpoint.kept.map((m) => m.messageKey));
  const added = since.filter((m) => !kept.has(m.messageKey));
  // An id a kept message links by is no dropped message's (they would be one group): only the
  // others are looked up in the filters. The Message-ID of a message logged since is no dropped
  // message's either: that would be the same message (its key is the Message-ID's), dated as it
  // was, before the settle line. So it is looked up only among the ids dropped mail referred to.
  const keptIds = new Set(checkpoint.kept.flatMap(idsOf));
  const addedIds = new Set(added.map((m) => m.messageId));
  const lookedUp = (m: ThreadMessage) =>
    idsOf(m)
      .filter((id) => !keptIds.has(id))
      .flatMap((id) =>
        addedIds.has(id)
          ? [{ id, shard: settledShardOf(id, 'referred') }]
          : [
              { id, shard: settledShardOf(id, 'logged') },
              { id, shard: settledShardOf(id, 'referred') },
            ],
      );
  return { added, lookedUp };
}

/**
 * The settled-id shards `foldsOn` reads for these messages logged since the checkpoint: those of
 * the ids they link by that no kept message links by. None when they link only to kept mail.
 */
export function settledShardsFor(checkpoint: HistoryCheckpoint, since: ThreadMessage[]): number[] {
  const { added, lookedUp } = lookups(checkpoint, since);
  const shards = added.flatMap(lookedUp).map((l) => l.shard);
  return [...new Set(shards)].sort((a, b) => a - b);
}

/**
 * Whether the messages logged since a checkpoint can be folded on it: none is dated before its
 * settle line (very late mail), links to a message it dropped (a reply to a settled thread, or a
 * false positive of the filter), links together conversations it kept apart (which would thread
 * earlier mail again), or is the user's mail that kept mail dated before the settle line referred
 * to. Otherwise the view reads every message. `settled` holds at least the shards
 * `settledShardsFor` names.
 */
export function foldsOn(
  checkpoint: HistoryCheckpoint,
  since: ThreadMessage[],
  settled: SettledShards,
): boolean {
  const { added, lookedUp } = lookups(checkpoint, since);
  const decoded = new Map<number, Buffer<ArrayBufferLike>[]>();
  const settledHas = ({ id, shard }: { id: string; shard: number }) => {
    const filters = settled.get(shard);
    if (!filters) throw new Error(`settled-id shard ${shard} was not read`);
    const bits = decoded.get(shard) ?? filters.map((f) => Buffer.from(f.bits, 'base64'));
    decoded.set(shard, bits);
    return hasId(filters, bits, id);
  };
  const fits = added.every(
    (m) => m.sentAt >= checkpoint.ledger.at && !lookedUp(m).some(settledHas),
  );
  if (!fits) return false;
  // A bounce is news for every wait on the addresses it names, frozen ones too.
  const awaitedFrozen = new Set(
    (checkpoint.frozen ?? []).flatMap((t) =>
      t.contacts.filter((c) => c.state === 'due' || c.state === 'let-go').map((c) => c.address),
    ),
  );
  if (
    awaitedFrozen.size > 0 &&
    added.some((m) => m.kind === 'bounce' && m.contacts.some((c) => awaitedFrozen.has(c.address)))
  )
    return false;
  // Mail the user sent that older kept mail referred to changes how that mail reads (a reference to
  // a message the user had not logged counts as their reply): then earlier ladders change, and
  // with them what mail the checkpoint dropped (a bounce) would have done to them.
  const settledBy = new Date(Date.parse(checkpoint.ledger.at) - dayMs).toISOString();
  const referredEarlier = new Set(
    checkpoint.kept.filter((m) => m.sentAt < settledBy).flatMap((m) => idsOf(m).slice(1)),
  );
  if (added.some((m) => m.direction === 'out' && referredEarlier.has(m.messageId))) return false;
  // The kept messages' link components, then those the new messages make: each new one may reach
  // one kept component at most.
  const links = new Groups();
  for (const m of checkpoint.kept) for (const id of idsOf(m)) links.union(m.messageId, id);
  const keptRoot = new Map<string, string>();
  for (const m of checkpoint.kept) for (const id of idsOf(m)) keptRoot.set(id, links.find(id));
  const joined = new Groups();
  for (const m of added) for (const id of idsOf(m)) joined.union(`n ${m.messageId}`, `n ${id}`);
  const reaches = new Map<string, string>();
  for (const m of added) {
    for (const id of idsOf(m)) {
      const root = keptRoot.get(id);
      if (root === undefined) continue;
      const component = joined.find(`n ${id}`);
      const before = reaches.get(component);
      if (before !== undefined && before !== root) return false;
      reaches.set(component, root);
    }
  }
  return true;
}

/** Disjoint sets over strings. */
class Groups {
  readonly #parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while ((this.#parent.get(root) ?? root) !== root) root = this.#parent.get(root) as string;
    this.#parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent.set(ra, rb);
  }
}

const openStates = new Set(['waiting', 'due', 'bounced', 'let-go']);

/**
 * A new checkpoint at `builtAt` from the messages logged before it that `previous` does not hold
 * folded (its kept messages and those logged since), or from every message when there is none.
 *
 * Primary course:
 * 1. Build the threads as at `builtAt`, and group the messages: one thread is one group, messages
 *    linked by their ids are one group, and a message that is evidence in a thread's ladder (a
 *    bounce, a reply elsewhere) joins its group.
 * 2. A group is settled when every message in it is dated a day or more before the settle line and
 *    no ladder on it is waiting, due, bounced or let go; and none of it was logged at or after
 *    `builtAt`. Its messages are dropped (their ids go to the filters: `settledIdsByShard`); the
 *    rest are kept.
 * 3. Pause the ledger at the settle line, on top of the previous one (with the cold contacts the
 *    messages since name), and set apart the contacts that are cold (`isCold`).
 */
export function buildCheckpoint(input: {
  messages: ThreadMessage[];
  previous: HistoryCheckpoint | null;
  timeZone: string;
  builtAt: Date;
}): { checkpoint: HistoryCheckpoint; dropped: ThreadMessage[]; cold: PausedContact[] } {
  const { previous, timeZone, builtAt } = input;
  const messages = withSince(input.messages, []);
  const at = builtAt.toISOString();
  const line = settleLine(builtAt);
  const dropBefore = new Date(Date.parse(line) - dayMs).toISOString();

  const folded = oneRecordPerSentMail(messages);
  const membership = new Map<string, string>();
  const threads = buildThreads(folded, timeZone, builtAt, membership);
  const groups = new Groups();
  for (const [messageKey, threadKey] of membership)
    groups.union(`m ${messageKey}`, `t ${threadKey}`);
  // Linked messages are one group even where no thread holds them (a bounce starts none).
  for (const m of messages) for (const id of idsOf(m)) groups.union(`m ${m.messageKey}`, `i ${id}`);
  // A message that is evidence in a thread's ladder (a bounce, a reply elsewhere) joins its group.
  for (const t of threads)
    for (const c of t.contacts)
      for (const h of c.history) groups.union(`t ${t.threadKey}`, `m ${h.messageKey}`);
  // Groups a thread still open keeps; those only mail about them can change may freeze.
  const open = new Set<string>();
  const unfreezable = new Set<string>();
  for (const t of threads) {
    const group = groups.find(`t ${t.threadKey}`);
    if (t.contacts.some((c) => openStates.has(c.state))) open.add(group);
    if (t.contacts.some((c) => !frozenStates.has(c.state))) unfreezable.add(group);
  }
  // Recent mail, and mail logged since this checkpoint, keeps its group whatever its state.
  const freezeBefore = frozenLine(builtAt);
  for (const m of messages) {
    const group = groups.find(`m ${m.messageKey}`);
    if (m.sentAt >= dropBefore || (m.loggedAt !== undefined && m.loggedAt >= at)) open.add(group);
    if (m.sentAt >= freezeBefore || (m.loggedAt !== undefined && m.loggedAt >= at))
      unfreezable.add(group);
  }
  const frozenGroup = (group: string) => open.has(group) && !unfreezable.has(group);
  const kept: ThreadMessage[] = [];
  const dropped: ThreadMessage[] = [];
  for (const m of messages) {
    const group = groups.find(`m ${m.messageKey}`);
    (open.has(group) && !frozenGroup(group) ? kept : dropped).push(m);
  }
  const frozenNow = threads.filter((t) => frozenGroup(groups.find(`t ${t.threadKey}`)));

  const settling = {
    messages: new Set(dropped.map((m) => m.messageKey)),
    threads: new Set(
      threads
        .filter((t) => {
          const group = groups.find(`t ${t.threadKey}`);
          return !open.has(group) || frozenGroup(group);
        })
        .map((t) => t.threadKey),
    ),
  };
  const ledger = pauseLedger(folded, threads, membership, line, previous?.ledger, settling);
  const frozen = [...(previous?.frozen ?? []), ...frozenNow];
  const named = new Set(kept.flatMap((m) => m.contacts.map((c) => c.address)));
  const hot: PausedContact[] = [];
  const cold: PausedContact[] = [];
  for (const c of ledger.contacts) (isCold(c, builtAt, named) ? cold : hot).push(c);
  const checkpoint: HistoryCheckpoint = { builtAt: at, kept, ledger: { at: line, contacts: hot } };
  if (frozen.length > 0) checkpoint.frozen = withFrozen([], frozen);
  return { checkpoint, dropped, cold };
}

/**
 * Whether nothing Help first shows can come from a paused contact at any moment from `builtAt` on
 * while no mail names them: no kept mail names them, no touch for `coldAfterDays` (they cannot be
 * going quiet), and every promise, favour owed and ask is older than `staleAfterDays` (none can be
 * shown). A cadence the user set longer than the default is read for them apart
 * (`coldToRead`).
 */
function isCold(c: PausedContact, builtAt: Date, named: ReadonlySet<string>): boolean {
  if (named.has(c.address)) return false;
  const at = builtAt.getTime();
  if (c.lastTouch !== null && c.lastTouch >= at - coldAfterDays * dayMs) return false;
  const staleBefore = new Date(at - (staleAfterDays + 1) * dayMs).toISOString();
  const evidence = [...c.openPromises, ...c.openAsks, ...(c.owed ? [c.owed] : [])];
  return evidence.every((e) => e.at < staleBefore);
}

/**
 * The cold contacts a view of the checkpoint reads: those the mail logged since names, and those
 * given (contacts with a cadence longer than the default). The hot ones are in the checkpoint.
 */
export function coldToRead(
  checkpoint: HistoryCheckpoint,
  since: ThreadMessage[],
  also: Iterable<string> = [],
): string[] {
  const hot = new Set(checkpoint.ledger.contacts.map((c) => c.address));
  const named = [...since.flatMap((m) => m.contacts.map((c) => c.address)), ...also];
  return [...new Set(named)].filter((address) => !hot.has(address)).sort();
}

/**
 * The checkpoint with these cold contacts in its ledger (a hot one wins), or null when one was
 * paused by a later checkpoint (written before its head: the view reads everything).
 */
export function withColdContacts(
  checkpoint: HistoryCheckpoint,
  cold: readonly ColdContact[],
): HistoryCheckpoint | null {
  if (cold.some((c) => c.since > checkpoint.ledger.at)) return null;
  const hot = new Set(checkpoint.ledger.contacts.map((c) => c.address));
  const more = cold.filter((c) => !hot.has(c.contact.address)).map((c) => c.contact);
  if (more.length === 0) return checkpoint;
  return {
    ...checkpoint,
    ledger: { ...checkpoint.ledger, contacts: [...checkpoint.ledger.contacts, ...more] },
  };
}

/**
 * A stored shard of cold contacts with those a new checkpoint paused cold (settle line `since`): a
 * contact whose ledger is unchanged keeps its record, and no record is replaced by an older one.
 * Null when nothing changed.
 */
export function withColdPaused(
  stored: readonly ColdContact[],
  cold: readonly PausedContact[],
  since: string,
): ColdContact[] | null {
  const byAddress = new Map(stored.map((c) => [c.contact.address, c]));
  let changed = false;
  for (const contact of cold) {
    const before = byAddress.get(contact.address);
    if (before && (before.since > since || sameJson(before.contact, contact))) continue;
    byAddress.set(contact.address, { contact, since });
    changed = true;
  }
  if (!changed) return null;
  return [...byAddress.values()].sort((a, b) =>
    a.contact.address < b.contact.address ? -1 : a.contact.address > b.contact.address ? 1 : 0,
  );
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The ids the settled-id filters must hold once these messages are dropped, by shard: their
 * Message-IDs, and the ids they referred to that none of them had. Written before the checkpoint
 * that dropped them (`withSettledIds`).
 */
export function settledIdsByShard(dropped: ThreadMessage[]): Map<number, string[]> {
  const byShard = new Map<number, string[]>();
  const add = (id: string, of: 'logged' | 'referred') => {
    const shard = settledShardOf(id, of);
    const ids = byShard.get(shard);
    if (ids) ids.push(id);
    else byShard.set(shard, [id]);
  };
  const logged = new Set(dropped.map((m) => m.messageId));
  for (const id of logged) add(id, 'logged');
  for (const id of new Set(dropped.flatMap((m) => idsOf(m).slice(1))))
    if (!logged.has(id)) add(id, 'referred');
  return byShard;
}

/**
 * A checkpoint without one contact, for `forget`: out of the folded ledger, out of the kept
 * messages as out of the logged ones (a message naming only them goes, one naming others too is
 * kept without them), and out of the frozen threads (a thread awaiting no one else goes).
 */
export function checkpointWithout(
  checkpoint: HistoryCheckpoint,
  address: string,
): HistoryCheckpoint {
  const frozen = (checkpoint.frozen ?? []).flatMap((t) => {
    const contacts = t.contacts.filter((c) => c.address !== address);
    if (contacts.length === t.contacts.length) return [t];
    return contacts.length > 0 ? [{ ...t, contacts }] : [];
  });
  return {
    ...checkpoint,
    ...(checkpoint.frozen ? { frozen } : {}),
    ledger: {
      ...checkpoint.ledger,
      contacts: checkpoint.ledger.contacts.filter((c) => c.address !== address),
    },
    kept: checkpoint.kept.flatMap((m) => {
      if (!namesContact(m, address)) return [m];
      const rewritten = withoutContact(m, address);
      return rewritten ? [rewritten] : [];
    }),
  };
}
