import { createHash } from 'node:crypto';
import { type PausedLedger, pauseLedger } from './help-first.ts';
import { oneRecordPerSentMail } from './one-record-per-sent-mail.ts';
import { lateMailDays } from './retention.ts';
import { buildThreads, type ThreadMessage } from './threads.ts';

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
  /** Every contact's ledger folded over the messages dated before the settle line (`ledger.at`). */
  ledger: PausedLedger;
  /** Bloom filters of every id (logged or only referred to) of the messages dropped. */
  settled: SettledIds[];
}

/** One Bloom filter of Message-IDs: `bits` in base64, `count` ids added. */
export interface SettledIds {
  bits: string;
  count: number;
}

const dayMs = 86_400_000;
/** Ids per filter, at about 10 bits each (1% false positives with 7 hashes). */
const filterCapacity = 4096;
const filterBits = filterCapacity * 10;
const filterHashes = 7;

/** The settle line of a checkpoint built at `builtAt`: mail dated before it is folded for good. */
export const settleLine = (builtAt: Date) =>
  new Date(builtAt.getTime() - lateMailDays * dayMs).toISOString();

/** The ids a message links by, as the threads fold reads them (garbled values are no links). */
const idsOf = (m: ThreadMessage) => [
  m.messageId,
  ...[...m.inReplyTo, ...m.references].filter((id) => /^[^\s@]+@[^\s@]+$/.test(id)),
];

function positions(id: string): number[] {
  const hash = createHash('sha256').update(id).digest();
  const a = hash.readUInt32BE(0);
  const b = (hash.readUInt32BE(4) | 1) >>> 0;
  return Array.from({ length: filterHashes }, (_, i) => (a + i * b) % filterBits);
}

function addIds(filters: SettledIds[], ids: Iterable<string>): SettledIds[] {
  const out = filters.map((f) => ({ ...f }));
  let last = out.at(-1);
  let bits = last ? Buffer.from(last.bits, 'base64') : null;
  for (const id of ids) {
    if (!last || !bits || last.count >= filterCapacity) {
      if (last && bits) last.bits = bits.toString('base64');
      bits = Buffer.alloc(filterBits / 8);
      last = { bits: '', count: 0 };
      out.push(last);
    }
    for (const p of positions(id)) bits[p >> 3] = (bits[p >> 3] ?? 0) | (1 << (p & 7));
    last.count += 1;
  }
  if (last && bits) last.bits = bits.toString('base64');
  return out;
}

function hasId(filters: readonly SettledIds[], decoded: Buffer[], id: string): boolean {
  const ps = positions(id);
  return filters.some((_, i) => {
    const bits = decoded[i] as Buffer;
    return ps.every((p) => ((bits[p >> 3] ?? 0) & (1 << (p & 7))) !== 0);
  });
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
 * Whether the messages logged since a checkpoint can be folded on it: none is dated before its
 * settle line (very late mail), links to a message it dropped (a reply to a settled thread, or a
 * false positive of the filter), or links together conversations it kept apart (which would thread
 * earlier mail again). Otherwise the view reads every message.
 */
export function foldsOn(checkpoint: HistoryCheckpoint, since: ThreadMessage[]): boolean {
  const kept = new Set(checkpoint.kept.map((m) => m.messageKey));
  const added = since.filter((m) => !kept.has(m.messageKey));
  const decoded = checkpoint.settled.map((f) => Buffer.from(f.bits, 'base64'));
  const fits = added.every(
    (m) =>
      m.sentAt >= checkpoint.ledger.at &&
      !idsOf(m).some((id) => hasId(checkpoint.settled, decoded, id)),
  );
  if (!fits) return false;
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
 *    `builtAt`. Its messages are dropped and their ids added to the filters; the rest are kept.
 * 3. Pause the ledger at the settle line, on top of the previous one.
 */
export function buildCheckpoint(input: {
  messages: ThreadMessage[];
  previous: HistoryCheckpoint | null;
  timeZone: string;
  builtAt: Date;
}): { checkpoint: HistoryCheckpoint; dropped: ThreadMessage[] } {
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
  const open = new Set<string>();
  for (const t of threads) {
    for (const c of t.contacts) {
      for (const h of c.history) groups.union(`t ${t.threadKey}`, `m ${h.messageKey}`);
    }
  }
  for (const t of threads) {
    if (t.contacts.some((c) => openStates.has(c.state))) open.add(groups.find(`t ${t.threadKey}`));
  }
  for (const m of messages) {
    if (m.sentAt >= dropBefore || (m.loggedAt !== undefined && m.loggedAt >= at))
      open.add(groups.find(`m ${m.messageKey}`));
  }
  const kept: ThreadMessage[] = [];
  const dropped: ThreadMessage[] = [];
  for (const m of messages) (open.has(groups.find(`m ${m.messageKey}`)) ? kept : dropped).push(m);

  const settling = {
    messages: new Set(dropped.map((m) => m.messageKey)),
    threads: new Set(
      threads.filter((t) => !open.has(groups.find(`t ${t.threadKey}`))).map((t) => t.threadKey),
    ),
  };
  const ledger = pauseLedger(folded, threads, membership, line, previous?.ledger, settling);
  const settled = addIds(previous?.settled ?? [], dropped.flatMap(idsOf));
  return { checkpoint: { builtAt: at, kept, ledger, settled }, dropped };
}
