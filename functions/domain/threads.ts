import { attributionNames } from './attribution-names.ts';
import { shortKey } from './ids.ts';
import { normaliseAddress } from './mailbox.ts';
import type { Attribution, LoggedMessage } from './model.ts';
import {
  applyEvent,
  type Evidence,
  type PairEvent,
  type PairLadder,
  type PairStatus,
  pairStatus,
  startPair,
} from './nudge-ladder.ts';
import { normaliseSubject } from './thread-subject.ts';

/** A message without Message-ID links joins an open thread by subject only within this many days. */
export const subjectFallbackDays = 60;

/** What building threads (and the help-first ledger, which adds `signals`) reads of a logged message. */
export const threadFields = [
  'signals',
  'messageId',
  'messageKey',
  'direction',
  'receivedAt',
  'via',
  'sentAt',
  'subject',
  'contacts',
  'window',
  'broadcast',
  'kind',
  'outOfOffice',
  'attribution',
  'inReplyTo',
  'references',
] as const satisfies readonly (keyof LoggedMessage)[];

export type ThreadMessage = Pick<LoggedMessage, (typeof threadFields)[number]> & {
  /** When the store wrote it (what a history checkpoint's `builtAt` is compared with), if known. */
  loggedAt?: string;
};

/**
 * The messages givefirst knew of at `asOf`: dated and received by then. A moment in the past is
 * judged as it was, never from mail sent or forwarded later.
 */
export function knownAt<M extends Pick<LoggedMessage, 'sentAt' | 'receivedAt'>>(
  messages: M[],
  asOf: Date,
): M[] {
  const at = asOf.toISOString();
  return messages.filter((m) => m.sentAt <= at && (m.receivedAt ?? m.sentAt) <= at);
}

export interface ThreadContactView extends PairStatus {
  address: string;
  name: string;
  /** What changed the ladder, oldest first. */
  history: Evidence[];
}

export interface ThreadView {
  threadKey: string;
  subject: string;
  firstAt: string;
  lastAt: string;
  messages: number;
  /** Everyone a reply was ever awaited from on this thread. */
  contacts: ThreadContactView[];
}

interface Pair {
  name: string;
  ladder: PairLadder;
  lastTouch: number;
}

interface Thread {
  firstMessageId: string;
  subject: string;
  normSubject: string;
  firstAt: string;
  lastAt: string;
  messages: number;
  pairs: Map<string, Pair>;
  /** The Message-IDs the user's latest message on the thread knew: its own and those it referred to. */
  lastOutIds: string[] | null;
}

/** Disjoint sets over Message-IDs: messages that refer to each other are one thread. */
class Links {
  readonly #parent = new Map<string, string>();
  find(id: string): string {
    let root = id;
    while (this.#parent.has(root) && this.#parent.get(root) !== root)
      root = this.#parent.get(root) as string;
    let node = id;
    while (node !== root) {
      const next = this.#parent.get(node) ?? root;
      this.#parent.set(node, root);
      node = next;
    }
    if (!this.#parent.has(root)) this.#parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id is the root, so the same links give the same roots in any order.
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    this.#parent.set(high, low);
  }
}

/** Plain code-unit order: ISO times and keys sort correctly so, and far faster than a collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order threads are listed in: latest mail first, then by key. */
export const threadOrder = (a: ThreadView, b: ThreadView) =>
  compare(b.lastAt, a.lastAt) || compare(a.threadKey, b.threadKey);

/**
 * The Message-IDs a message refers to. A garbled value ("In-Reply-To: (none)", "undefined") is no
 * id: it would join every message that carries it into one thread.
 */
const linksOf = (m: ThreadMessage) =>
  [...m.inReplyTo, ...m.references].filter((id) => /^[^\s@]+@[^\s@]+$/.test(id));

/**
 * When a message counts as sent, for the order they are folded in: an auto-reply at the end of its
 * minute (it answers a question that may carry a later second, or a date read to the minute).
 */
const foldAt = (m: ThreadMessage) =>
  m.kind === 'auto-reply' ? `${m.sentAt.slice(0, 16)}:59.999Z` : m.sentAt;

/** Date order; at the same moment the user's message first: a question comes before its answer. */
const byDate = (a: ThreadMessage, b: ThreadMessage) =>
  compare(foldAt(a), foldAt(b)) ||
  compare(a.direction === 'out' ? '0' : '1', b.direction === 'out' ? '0' : '1') ||
  compare(a.messageKey, b.messageKey);

/** The pair an attribution names, among the thread's contacts (DESIGN's rule: reply-attribution.ts). */
function attributed(attribution: Attribution, pairs: Map<string, Pair>): string | null {
  const contacts = [...pairs].map(([address, p]) => ({ address, name: p.name }));
  return attributionNames(attribution, contacts)?.address ?? null;
}

const via: Record<LoggedMessage['via'], string> = {
  bcc: 'their message was logged',
  'cc-reply': 'their reply reached the log address in Cc',
  'forward-inline': 'you forwarded their reply',
  'forward-attached': 'you forwarded their reply',
};

/**
 * The user's threads and, for everyone a reply was awaited from, where the nudge ladder stands at
 * `now`. A pure function of the logged messages, the user's zone and `now`: whatever order the
 * messages arrived in, the same set gives the same threads.
 *
 * Primary course:
 * 1. Threads by Message-ID links (Message-ID, In-Reply-To, References), order-free.
 * 2. In date order, a message whose links reach no earlier logged message (it has none, they are
 *    garbled, or they name only mail never logged) joins an open thread with the same normalised
 *    subject and a contact touched within 60 days; otherwise it starts its own.
 * 3. In date order, each message becomes ladder events for the thread's pairs: replies (a message
 *    from them; their reply quoted at the top of the user's next message; a new Message-ID the user
 *    did not send when only one person is awaited and the quote on top names no one else),
 *    out-of-office notices, and the user writing.
 */
export function buildThreads(
  messages: ThreadMessage[],
  timeZone: string,
  now: Date,
  /** When given, filled with the thread key of every message (by message key). */
  membership?: Map<string, string>,
): ThreadView[] {
  const sorted = [...messages].sort(byDate);
  // A thread's key is a hash of its first Message-ID, asked for once per message: hashed once.
  const keys = new Map<string, string>();
  const keyOf = (firstMessageId: string) => {
    let key = keys.get(firstMessageId);
    if (key === undefined) {
      key = shortKey(firstMessageId);
      keys.set(firstMessageId, key);
    }
    return key;
  };
  const links = new Links();
  const userSent = new Set<string>();
  const referred = sorted.map(linksOf);
  sorted.forEach((m, i) => {
    if (m.direction === 'out') userSent.add(m.messageId);
    for (const id of referred[i] ?? []) links.union(m.messageId, id);
  });

  const threadOf = new Map<string, Thread>();
  const bySubject = new Map<string, Thread[]>();
  const result: Thread[] = [];

  const fallback = (m: ThreadMessage): Thread | undefined => {
    const subject = normaliseSubject(m.subject);
    if (!subject) return undefined;
    const at = Date.parse(m.sentAt);
    const since = at - subjectFallbackDays * 86_400_000;
    const contacts = m.contacts.map((c) => c.address);
    return (bySubject.get(subject) ?? [])
      .filter((t) =>
        contacts.some((c) => {
          const pair = t.pairs.get(c);
          return (
            pair !== undefined &&
            pair.lastTouch >= since &&
            (pair.ladder.active || pair.ladder.letGo)
          );
        }),
      )
      .sort((a, b) => compare(b.lastAt, a.lastAt))[0];
  };

  // Pairs whose mail bounced, by the person's name: reaching that name elsewhere retires them.
  const bouncedByName = new Map<string, { address: string; pair: Pair }[]>();
  const sameName = (name: string) =>
    name.replace(/^"|"$/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
  const reached = (m: ThreadMessage) => {
    const who = m.direction === 'in' ? m.contacts.slice(0, 1) : m.contacts;
    for (const c of who) {
      const name = sameName(c.name);
      for (const b of (name && bouncedByName.get(name)) || []) {
        if (b.address === c.address) continue;
        applyEvent(
          b.pair.ladder,
          { kind: 'moved', at: new Date(m.sentAt), address: c.address, messageKey: m.messageKey },
          timeZone,
        );
      }
    }
  };

  sorted.forEach((m, i) => {
    if (m.direction === 'in' && m.kind === 'bounce') {
      // A bounce is news for every wait on the addresses it names; it starts no thread itself.
      const at = new Date(m.sentAt);
      for (const c of m.contacts) {
        for (const t of result) {
          const pair = t.pairs.get(c.address);
          if (!pair?.ladder.active || (pair.ladder.since ?? '') > m.sentAt) continue;
          applyEvent(pair.ladder, { kind: 'bounced', at, messageKey: m.messageKey }, timeZone);
          const name = sameName(pair.name);
          if (name)
            bouncedByName.set(name, [
              ...(bouncedByName.get(name) ?? []),
              { address: c.address, pair },
            ]);
        }
      }
      return;
    }
    if (m.kind === 'personal') reached(m);
    const root = links.find(m.messageId);
    let thread = threadOf.get(root);
    // Links that reach no earlier logged message (none, garbled, or only to mail never logged) do
    // not place it: the subject may.
    if (!thread) thread = fallback(m);
    if (!thread) {
      thread = {
        firstMessageId: m.messageId,
        subject: m.subject,
        normSubject: normaliseSubject(m.subject),
        firstAt: m.sentAt,
        lastAt: m.sentAt,
        messages: 0,
        pairs: new Map(),
        lastOutIds: null,
      };
      result.push(thread);
      const same = bySubject.get(thread.normSubject);
      if (same) same.push(thread);
      else bySubject.set(thread.normSubject, [thread]);
    }
    threadOf.set(root, thread);
    membership?.set(m.messageKey, keyOf(thread.firstMessageId));
    apply(thread, m, referred[i] ?? [], userSent, timeZone);
  });

  return result
    .map((t) => ({
      threadKey: keyOf(t.firstMessageId),
      subject: t.subject,
      firstAt: t.firstAt,
      lastAt: t.lastAt,
      messages: t.messages,
      contacts: [...t.pairs]
        .filter(([, p]) => p.ladder.since !== null)
        .map(([address, p]) => ({
          address,
          name: p.name,
          ...pairStatus(p.ladder, now, timeZone),
          history: p.ladder.history,
        })),
    }))
    .sort(threadOrder);
}

/** The pair of a thread with one contact, touched at `at` (started when it is the first touch). */
function pairOf(thread: Thread, at: Date, address: string, name: string): Pair {
  let pair = thread.pairs.get(address);
  if (!pair) {
    pair = { name, ladder: startPair(), lastTouch: at.getTime() };
    thread.pairs.set(address, pair);
  }
  if (!pair.name && name) pair.name = name;
  pair.lastTouch = Math.max(pair.lastTouch, at.getTime());
  return pair;
}

/** An event of a pair's ladder, on the pair of a thread with one contact (touched then). */
function event(
  thread: Thread,
  address: string,
  name: string,
  e: PairEvent,
  timeZone: string,
): void {
  applyEvent(pairOf(thread, e.at, address, name).ladder, e, timeZone);
}

/**
 * One message's effect on its thread, in date order. (Helpers take the thread rather than close
 * over it: a view applies thousands of messages.)
 */
function apply(
  thread: Thread,
  m: ThreadMessage,
  referred: string[],
  userSent: Set<string>,
  timeZone: string,
): void {
  const at = new Date(m.sentAt);
  thread.messages += 1;
  if (m.sentAt > thread.lastAt) thread.lastAt = m.sentAt;

  if (m.direction === 'in') {
    const sender = m.contacts[0];
    if (!sender) return;
    if (m.kind === 'personal') {
      event(
        thread,
        sender.address,
        sender.name,
        {
          kind: 'replied',
          at,
          how: via[m.via],
          messageKey: m.messageKey,
        },
        timeZone,
      );
    } else if (m.kind === 'auto-reply' && m.outOfOffice) {
      event(
        thread,
        sender.address,
        sender.name,
        {
          kind: 'away',
          at,
          returnsOn: m.outOfOffice.returnsOn,
          messageKey: m.messageKey,
        },
        timeZone,
      );
    } else {
      pairOf(thread, at, sender.address, sender.name);
    }
    return;
  }

  // Reply evidence in the user's own message comes first: they answered before the user wrote again.
  if (m.attribution?.date) {
    const address = attributed(m.attribution, thread.pairs);
    const pair = address ? thread.pairs.get(address) : undefined;
    if (
      address &&
      pair?.ladder.since &&
      m.attribution.date.getTime() > Date.parse(pair.ladder.since)
    ) {
      event(
        thread,
        address,
        pair.name,
        {
          kind: 'replied',
          at,
          how: `your message quotes their reply ("${m.attribution.line.slice(0, 80)}")`,
          messageKey: m.messageKey,
        },
        timeZone,
      );
    }
  }
  const known = thread.lastOutIds;
  if (known && referred.some((id) => !known.includes(id) && !userSent.has(id))) {
    const awaited = [...thread.pairs].filter(([, p]) => p.ladder.active);
    const only = awaited.length === 1 ? awaited[0] : undefined;
    // A quote at the top that names someone else (another contact, the user) says whose it is.
    const quoted = !m.attribution
      ? null
      : m.attribution.address
        ? normaliseAddress(m.attribution.address)
        : attributed(m.attribution, thread.pairs);
    if (only && (quoted === null || quoted === only[0])) {
      event(
        thread,
        only[0],
        only[1].name,
        {
          kind: 'replied',
          at,
          how: 'your message answers a message of theirs you had not logged',
          messageKey: m.messageKey,
        },
        timeZone,
      );
    }
  }
  thread.lastOutIds = [m.messageId, ...referred];

  for (const c of m.contacts) {
    if (c.role === 'to' && !m.broadcast) {
      event(
        thread,
        c.address,
        c.name,
        {
          kind: 'wrote',
          at,
          awaited: c.awaited,
          window: c.awaited ? m.window : null,
          messageKey: m.messageKey,
        },
        timeZone,
      );
    } else {
      pairOf(thread, at, c.address, c.name);
    }
  }
}
