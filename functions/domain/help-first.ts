import { asksForHelp } from './help-request.ts';
import { ago, span } from './human-time.ts';
import { domainOf } from './mailbox.ts';
import type { LoggedMessage, Signal } from './model.ts';
import type { ThreadView } from './threads.ts';

/** Keep in touch at least this often with a two-way relationship, unless a contact has their own cadence. */
export const defaultCadenceDays = 90;
/** An item nobody acted on for this long drops out of Help first. */
export const staleAfterDays = 90;
/** At most this many items in a digest's Help first. */
export const helpFirstLimit = 5;
/** A contact's own rhythm counts once there are this many separate conversations (threads). */
const rhythmConversations = 4;
/**
 * The rhythm is read from this many of the latest conversations: how often the two of you talk
 * now, not ten years ago (and what a checkpoint keeps of a contact stays the same size).
 */
export const rhythmWindow = 12;
/** A learned rhythm tightens the default cadence, never below this many days. */
export const rhythmFloorDays = 30;

const dayMs = 86_400_000;

/**
 * Open promises or asks without those nobody acted on for `staleAfterDays` before `at`: they have
 * dropped out of Help first for good, so a gift no longer fulfils them and a newer one is not
 * hidden behind them.
 */
const withoutStale = (open: SignalEvidence[], at: string | number): SignalEvidence[] => {
  const since = (typeof at === 'number' ? at : Date.parse(at)) - staleAfterDays * dayMs;
  return open.every((e) => Date.parse(e.at) >= since)
    ? open
    : open.filter((e) => Date.parse(e.at) >= since);
};

/** What a signal in a message showed: when, in which message, by tag or by the user's own words. */
export interface SignalEvidence {
  at: string;
  messageKey: string;
  subject: string;
  signal: Signal;
}

export interface ContactLedger {
  address: string;
  name: string;
  touchesOut: number;
  /** Messages from them, and replies seen in the user's own mail (a quoted reply, an answered Message-ID). */
  touchesIn: number;
  lastOutAt: string | null;
  lastInAt: string | null;
  favoursGiven: number;
  favoursReceived: number;
  /** Promises made to them that no later `gave` fulfilled, oldest first. */
  openPromises: SignalEvidence[];
  /** The user asked them for something and has not given to them before or since. */
  openAsks: SignalEvidence[];
  /** They helped the user, who has not given to them since. */
  owed: SignalEvidence | null;
  cadenceDays: number;
  /**
   * The median gap between the starts of separate conversations (threads) with them, the latest
   * `rhythmWindow`, once there are enough: replies within one conversation say nothing about how
   * often the two of you talk.
   */
  rhythmDays: number | null;
  twoWay: boolean;
  goingQuiet: boolean;
  letGo: boolean;
}

export type HelpKind = 'promise' | 'favour-owed' | 'give-before-ask' | 'going-quiet';

export interface HelpItem {
  kind: HelpKind;
  address: string;
  name: string;
  reason: string;
  evidence: SignalEvidence | { at: string; lastTouchAt: string; cadenceDays: number };
}

export interface HelpSettings {
  timeZone: string;
  /** Addresses and @domains never logged (and never suggested). */
  neverLog: string[];
  /** Keep-in-touch cadence per contact, in days. */
  cadences?: Record<string, number>;
}

/**
 * A contact's ledger folded up to a moment and paused there: what folding the later messages on top
 * of it needs, and nothing else (a history checkpoint keeps it instead of the messages before).
 */
export interface PausedContact
  extends Pick<
    ContactLedger,
    | 'address'
    | 'name'
    | 'touchesOut'
    | 'touchesIn'
    | 'lastOutAt'
    | 'lastInAt'
    | 'favoursGiven'
    | 'favoursReceived'
    | 'openPromises'
    // Before they are checked against later replies.
    | 'openAsks'
    | 'owed'
  > {
  /** The user gave to them at least once (an ask after that is no chance to give first). */
  gave: boolean;
  /** The latest touch either way (epoch ms), or null. */
  lastTouch: number | null;
  /** The latest wait closed as answered elsewhere. */
  answeredElsewhere: string | null;
  /**
   * When each settled conversation with them started (epoch ms): one whose messages a checkpoint
   * dropped. The others are read from the messages kept.
   */
  settledStarts: number[];
}

/** Every contact's ledger folded over the messages dated before `at`. */
export interface PausedLedger {
  at: string;
  contacts: PausedContact[];
}

type Help = Pick<
  LoggedMessage,
  'messageKey' | 'direction' | 'sentAt' | 'subject' | 'contacts' | 'signals' | 'kind'
>;

/** Who a message's signals are about: its To contacts, or everyone when it has no To. */
function targets(m: Help) {
  const to = m.contacts.filter((c) => c.role === 'to');
  return to.length > 0 ? to : m.contacts;
}

/** The median of numbers (sorted in place). */
const median = (xs: Float64Array) => {
  const s = xs.sort();
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/**
 * The gaps between a contact's latest conversations, in days, written into one buffer a ledger:
 * a day count is a fraction, which an array of numbers holds as one object on the heap each (the
 * ten-year bench user's 2,000 rhythms allocated 2.5 MB a digest, sorting them); a Float64Array
 * holds them flat and sorts them as numbers.
 */
const gapsIn = (starts: readonly number[], into: Float64Array) => {
  const from = starts.length - 1;
  for (let i = 0; i < from; i++)
    into[i] = ((starts[i + 1] as number) - (starts[i] as number)) / dayMs;
  return into.subarray(0, from);
};

type Building = ContactLedger & {
  gave: boolean;
  lastTouch: number | null;
  answeredElsewhere: string | null;
  /** When each conversation with them started: thread key → first touch (null: none yet). */
  conversations: Map<string, number> | null;
  /** When each conversation a checkpoint settled started (epoch ms): no later mail joins them. */
  settledStarts: readonly number[];
};

/** A contact nothing was folded for yet. */
export const nobody: Omit<PausedContact, 'address' | 'name'> = {
  touchesOut: 0,
  touchesIn: 0,
  lastOutAt: null,
  lastInAt: null,
  favoursGiven: 0,
  favoursReceived: 0,
  openPromises: [],
  openAsks: [],
  owed: null,
  gave: false,
  lastTouch: null,
  answeredElsewhere: null,
  settledStarts: [],
};

/**
 * A contact's ledger being folded, from where it was paused: one literal of one shape (a digest
 * folds thousands of them; a spread of the parsed checkpoint's record is several times slower).
 */
const building = (p: PausedContact, cadenceDays: number): Building => ({
  address: p.address,
  name: p.name,
  touchesOut: p.touchesOut,
  touchesIn: p.touchesIn,
  lastOutAt: p.lastOutAt,
  lastInAt: p.lastInAt,
  favoursGiven: p.favoursGiven,
  favoursReceived: p.favoursReceived,
  openPromises: p.openPromises.length > 0 ? [...p.openPromises] : [],
  openAsks: p.openAsks.length > 0 ? [...p.openAsks] : [],
  owed: p.owed,
  cadenceDays,
  rhythmDays: null,
  twoWay: false,
  goingQuiet: false,
  letGo: false,
  gave: p.gave,
  lastTouch: p.lastTouch,
  answeredElsewhere: p.answeredElsewhere,
  conversations: null,
  settledStarts: p.settledStarts,
});

/**
 * The ledger fold: messages dated in [`from`, `until`) in date order (with the replies seen in the
 * user's own mail dated so), on top of `resume` (the fold of everything dated before `from`).
 * Messages dated before `from` are still read for who wrote first on which conversation.
 */
function foldLedger(
  messages: Help[],
  threads: ThreadView[],
  settings: HelpSettings,
  membership: ReadonlyMap<string, string>,
  range: {
    resume?: PausedLedger;
    until?: string;
    /**
     * Pausing: the messages and threads whose conversations and replies seen in the user's mail
     * are folded now (those dropped); the rest are folded with the messages kept, whatever their
     * date, because mail logged later can still join their threads.
     */
    settling?: { messages: ReadonlySet<string>; threads: ReadonlySet<string> };
    /** Threads whose messages `resume` folded already (a checkpoint's frozen ones). */
    folded?: ReadonlySet<string>;
  },
): Map<string, Building> {
  const from = range.resume?.at ?? '';
  const inRange = (at: string) => at >= from && (range.until === undefined || at < range.until);
  const sorted = [...messages].sort((a, b) =>
    a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0,
  );
  const ledgers = new Map<string, Building>();
  for (const p of range.resume?.contacts ?? [])
    ledgers.set(p.address, building(p, settings.cadences?.[p.address] ?? defaultCadenceDays));
  const ledgerOf = (address: string, name: string) => {
    let l = ledgers.get(address);
    if (!l) {
      l = building(
        { ...nobody, address, name },
        settings.cadences?.[address] ?? defaultCadenceDays,
      );
      ledgers.set(address, l);
    }
    if (!l.name && name) l.name = name;
    return l;
  };
  const evidence = (m: Help, signal: Signal): SignalEvidence => ({
    at: m.sentAt,
    messageKey: m.messageKey,
    subject: m.subject,
    signal,
  });
  const converse = (l: Building, at: string, messageKey: string) => {
    const t = Date.parse(at);
    const conversation = membership.get(messageKey) ?? messageKey;
    l.conversations ??= new Map();
    const start = l.conversations.get(conversation);
    if (start === undefined || t < start) l.conversations.set(conversation, t);
  };
  const touched = (l: Building, at: string) => {
    const t = Date.parse(at);
    l.lastTouch = l.lastTouch === null ? t : Math.max(l.lastTouch, t);
  };
  const touchIn = (l: Building, at: string, messageKey: string) => {
    l.touchesIn += 1;
    if (!l.lastInAt || at > l.lastInAt) l.lastInAt = at;
    touched(l, at);
    converse(l, at, messageKey);
  };
  const settlingMessage = (key: string) => range.settling?.messages.has(key) ?? true;
  const settlingThread = (key: string) => range.settling?.threads.has(key) ?? true;

  // When each contact first wrote on each thread: their message, or their reply seen in the user's.
  const wroteOn = new Map<string, string>();
  const wrote = (address: string, messageKey: string, at: string) => {
    const key = `${address} ${membership.get(messageKey) ?? messageKey}`;
    const first = wroteOn.get(key);
    if (!first || at < first) wroteOn.set(key, at);
  };
  for (const m of sorted) {
    const sender = m.contacts[0];
    if (m.direction === 'in' && sender && m.kind === 'personal')
      wrote(sender.address, m.messageKey, m.sentAt);
  }
  const foldedAlready = (t: ThreadView) => range.folded?.has(t.threadKey) ?? false;
  for (const t of threads) {
    if (foldedAlready(t)) continue;
    for (const c of t.contacts)
      for (const h of c.history)
        if (h.what.startsWith('replied')) wrote(c.address, h.messageKey, h.at);
  }
  /**
   * An ask by the user's words that names no help ("Perfect, please book it.") sent on a thread
   * where they had already answered is an instruction inside an exchange, not a favour asked.
   */
  const instructionInExchange = (
    m: Pick<Help, 'messageKey' | 'sentAt'>,
    address: string,
    ask: Signal,
  ) => {
    if (ask.by !== 'phrase' || asksForHelp(ask.phrase)) return false;
    const first = wroteOn.get(`${address} ${membership.get(m.messageKey) ?? m.messageKey}`);
    return first !== undefined && first <= m.sentAt;
  };

  // A resumed fold checks the asks it was handed again: mail logged since may have joined their
  // conversation to one where they had already answered (never the other way).
  for (const l of range.resume ? ledgers.values() : []) {
    if (l.openAsks.length === 0) continue;
    l.openAsks = l.openAsks.filter(
      (a) =>
        !instructionInExchange({ messageKey: a.messageKey, sentAt: a.at }, l.address, a.signal),
    );
  }

  const outKeys = new Set<string>();
  for (const m of sorted) {
    if (m.direction === 'out') outKeys.add(m.messageKey);
    if (settlingMessage(m.messageKey)) {
      // When each conversation started counts every message of it, whatever its date.
      const sender = m.contacts[0];
      if (m.direction === 'out')
        for (const c of m.contacts) converse(ledgerOf(c.address, c.name), m.sentAt, m.messageKey);
      else if (sender && m.kind === 'personal')
        converse(ledgerOf(sender.address, sender.name), m.sentAt, m.messageKey);
    }
    if (!inRange(m.sentAt)) continue;
    if (m.direction === 'in') {
      const sender = m.contacts[0];
      if (!sender || m.kind !== 'personal') continue;
      const l = ledgerOf(sender.address, sender.name);
      l.touchesIn += 1;
      if (!l.lastInAt || m.sentAt > l.lastInAt) l.lastInAt = m.sentAt;
      touched(l, m.sentAt);
      if (m.signals.thanks) {
        l.favoursReceived += 1;
        l.owed = evidence(m, m.signals.thanks);
      }
      continue;
    }
    for (const c of m.contacts) {
      const l = ledgerOf(c.address, c.name);
      l.touchesOut += 1;
      if (!l.lastOutAt || m.sentAt > l.lastOutAt) l.lastOutAt = m.sentAt;
      touched(l, m.sentAt);
    }
    for (const c of targets(m)) {
      const l = ledgerOf(c.address, c.name);
      const { promise, thanks, ask, gave } = m.signals;
      if (gave || promise) l.openPromises = withoutStale(l.openPromises, m.sentAt);
      if (ask) l.openAsks = withoutStale(l.openAsks, m.sentAt);
      if (gave) {
        l.favoursGiven += 1;
        l.openPromises.shift();
        l.owed = null;
        l.openAsks = [];
        l.gave = true;
      }
      if (promise) l.openPromises.push(evidence(m, promise));
      if (thanks) {
        l.favoursReceived += 1;
        l.owed = evidence(m, thanks);
      }
      if (ask && !l.gave && !instructionInExchange(m, c.address, ask))
        l.openAsks.push(evidence(m, ask));
    }
  }
  // Replies seen only in the user's own mail (a quoted reply, an answered Message-ID) are touches in.
  // A wait closed as answered elsewhere ("thanks for the call") is no touch, but the ask was heard.
  for (const t of threads) {
    if (!settlingThread(t.threadKey) || foldedAlready(t)) continue;
    for (const c of t.contacts) {
      const l = ledgerOf(c.address, c.name);
      for (const h of c.history) {
        if (h.what.startsWith('answered elsewhere') && h.at > (l.answeredElsewhere ?? ''))
          l.answeredElsewhere = h.at;
        if (h.what.startsWith('replied') && outKeys.has(h.messageKey))
          touchIn(l, h.at, h.messageKey);
      }
    }
  }
  return ledgers;
}

/**
 * Every contact's ledger folded over the messages dated before `until`, paused there (on top of
 * `resume`, the same fold paused earlier): folding the rest on top of it with `buildLedger` gives
 * what folding them all gives.
 */
export function pauseLedger(
  messages: Help[],
  threads: ThreadView[],
  membership: ReadonlyMap<string, string>,
  until: string,
  resume: PausedLedger | undefined,
  settling: { messages: ReadonlySet<string>; threads: ReadonlySet<string> },
): PausedLedger {
  const settings = { timeZone: 'UTC', neverLog: [] };
  const folded = foldLedger(messages, threads, settings, membership, { resume, until, settling });
  const contacts = [...folded.values()].map(
    (l): PausedContact => ({
      address: l.address,
      name: l.name,
      touchesOut: l.touchesOut,
      touchesIn: l.touchesIn,
      lastOutAt: l.lastOutAt,
      lastInAt: l.lastInAt,
      favoursGiven: l.favoursGiven,
      favoursReceived: l.favoursReceived,
      // Those no view can show again (any view is on or after `until`).
      openPromises: withoutStale(l.openPromises, until),
      openAsks: withoutStale(l.openAsks, until),
      owed: l.owed,
      gave: l.gave,
      lastTouch: l.lastTouch,
      answeredElsewhere: l.answeredElsewhere,
      // The latest starts are all a rhythm reads: mail logged later adds later ones or kept ones.
      settledStarts: [...l.settledStarts, ...(l.conversations?.values() ?? [])]
        .sort((a, b) => a - b)
        .slice(-rhythmWindow),
    }),
  );
  return { at: until, contacts };
}

/**
 * Each contact's ledger: touches both ways, favours given and received, open promises and asks,
 * cadence and whether the relationship is going quiet. A pure function of the logged messages,
 * the threads built from them (for replies seen only in the user's own mail), settings and `now`.
 * With `resume` (the fold of every message dated before its moment, `pauseLedger`), only the
 * messages dated from that moment on are folded on top of it.
 */
export function buildLedger(
  messages: Help[],
  threads: ThreadView[],
  settings: HelpSettings,
  now: Date,
  /** The thread key of each message (`buildThreads` fills it); a message not in it is a conversation of its own. */
  membership: ReadonlyMap<string, string> = new Map(),
  resume?: PausedLedger,
  /** Threads `resume` folded the messages of (a checkpoint's frozen ones): read for their states only. */
  folded?: ReadonlySet<string>,
): ContactLedger[] {
  const ledgers = foldLedger(messages, threads, settings, membership, {
    ...(resume ? { resume } : {}),
    ...(folded ? { folded } : {}),
  });
  // Mail that bounced never reached them: nothing in it was asked of them.
  const undelivered = new Set<string>();
  for (const t of threads) {
    for (const c of t.contacts) {
      const l = ledgers.get(c.address);
      if (l && c.state === 'let-go') l.letGo = true;
      if (c.state === 'bounced')
        for (const h of c.history) undelivered.add(`${c.address} ${h.messageKey}`);
    }
  }

  const gaps = new Float64Array(rhythmWindow);
  const rhythmOf = (l: Building) => {
    // A paused contact's starts are stored in order.
    const starts = (
      l.conversations
        ? [...l.settledStarts, ...l.conversations.values()].sort((a, b) => a - b)
        : l.settledStarts
    ).slice(-rhythmWindow);
    if (starts.length < rhythmConversations) return null;
    return Math.max(1, Math.round(median(gapsIn(starts, gaps))));
  };
  const nowMs = now.getTime();
  return Array.from(ledgers.values(), (l): ContactLedger => {
    const rhythmDays = rhythmOf(l);
    // A cadence the user set wins; a learned rhythm only tightens the default, down to the floor.
    const cadenceDays =
      settings.cadences?.[l.address] !== undefined || rhythmDays === null
        ? l.cadenceDays
        : Math.min(l.cadenceDays, Math.max(rhythmFloorDays, rhythmDays));
    const twoWay = l.touchesIn > 0 && l.touchesOut > 0;
    const last = l.lastTouch ?? Number.NEGATIVE_INFINITY;
    const { lastInAt, answeredElsewhere } = l;
    return {
      address: l.address,
      name: l.name,
      touchesOut: l.touchesOut,
      touchesIn: l.touchesIn,
      lastOutAt: l.lastOutAt,
      lastInAt,
      favoursGiven: l.favoursGiven,
      favoursReceived: l.favoursReceived,
      // Promises and asks nobody acted on for 90 days have dropped out.
      openPromises: withoutStale(l.openPromises, nowMs),
      // An ask stays open while they have not written back (or answered elsewhere) since.
      openAsks:
        l.openAsks.length === 0
          ? l.openAsks
          : withoutStale(l.openAsks, nowMs).filter(
              (a) =>
                !undelivered.has(`${l.address} ${a.messageKey}`) &&
                !(lastInAt !== null && lastInAt > a.at) &&
                !(answeredElsewhere !== null && answeredElsewhere > a.at),
            ),
      owed: l.owed,
      cadenceDays,
      rhythmDays,
      twoWay,
      goingQuiet: twoWay && nowMs - last > cadenceDays * dayMs,
      letGo: l.letGo,
    };
  });
}

/** How the reasons call someone: the first name, from "First Last" or "Last, First"; else the address. */
export function firstName(l: { name: string; address: string }): string {
  const name = l.name.replace(/^"|"$/g, '').trim();
  if (!name) return l.address;
  const [last, first] = name.split(',').map((p) => p.trim());
  return (first && last ? first : name).split(/\s+/)[0] ?? name;
}

const quoted = (e: SignalEvidence) =>
  e.signal.by === 'phrase' ? `"${e.signal.phrase}"` : `in "${e.subject}"`;

const order: Record<HelpKind, number> = {
  promise: 0,
  'favour-owed': 1,
  'give-before-ask': 2,
  'going-quiet': 3,
};

/** A contact Help first may show for a signal: its ledger, what for, its evidence and rank. */
interface SignalCandidate {
  l: ContactLedger;
  kind: Exclude<HelpKind, 'going-quiet'>;
  evidence: SignalEvidence;
  rank: number;
}

/** A contact going quiet, with how long since the last touch in whole days. */
interface QuietCandidate {
  l: ContactLedger;
  kind: 'going-quiet';
  evidence: { at: string; lastTouchAt: string; cadenceDays: number };
  rank: number;
  quietDays: number;
}

type Candidate = SignalCandidate | QuietCandidate;

/** The friendly reason of an item, written only for the items shown. */
function reasonOf(c: Candidate, now: Date, timeZone: string): string {
  const name = firstName(c.l);
  if (c.kind === 'going-quiet')
    return `You and ${name} haven't written in ${span(c.quietDays)} (you usually do every ${span(c.l.cadenceDays)}).`;
  const e = c.evidence;
  switch (c.kind) {
    case 'promise':
      return e.signal.by === 'phrase'
        ? `You told ${name} "${e.signal.phrase}" ${ago(e.at, now, timeZone)}.`
        : `You promised ${name} something in "${e.subject}" ${ago(e.at, now, timeZone)}.`;
    case 'favour-owed':
      return `${name} helped you ${ago(e.at, now, timeZone)} (${quoted(e)}) — a good moment to return the favour.`;
    default:
      return `You asked ${name} for something (${quoted(e)}); is there something you could offer ${name} while that's open?`;
  }
}

/**
 * Help first: the people to give to before asking anyone for anything, each with a friendly
 * reason and its evidence. Promises first (oldest first), then favours owed, then give-before-ask,
 * then going quiet (most overdue first); let-go contacts last; never-log contacts never; an item
 * nobody acted on for 90 days drops out. At most `limit`; `more` counts the rest.
 */
export function helpFirst(
  ledgers: ContactLedger[],
  settings: HelpSettings,
  now: Date,
  limit = helpFirstLimit,
): { items: HelpItem[]; more: number } {
  const never = (address: string) =>
    settings.neverLog.length > 0 &&
    settings.neverLog.some((n) => n === address || n === `@${domainOf(address)}`);
  const nowAt = now.toISOString();
  const nowMs = now.getTime();
  const fresh = (at: string) => nowMs - Date.parse(at) <= staleAfterDays * dayMs;
  // Plain records, no closure per contact: a digest looks at thousands of them.
  const candidates: Candidate[] = [];
  for (const l of ledgers) {
    if (never(l.address)) continue;
    const oldestPromise = l.openPromises[0];
    if (oldestPromise && fresh(oldestPromise.at)) {
      candidates.push({
        l,
        kind: 'promise',
        evidence: oldestPromise,
        rank: Date.parse(oldestPromise.at),
      });
    }
    const owed = l.owed;
    if (owed && fresh(owed.at)) {
      candidates.push({ l, kind: 'favour-owed', evidence: owed, rank: Date.parse(owed.at) });
    }
    const ask = l.openAsks[0];
    if (ask && fresh(ask.at)) {
      candidates.push({ l, kind: 'give-before-ask', evidence: ask, rank: Date.parse(ask.at) });
    }
    const lastTouchAt =
      l.lastInAt !== null && (l.lastOutAt === null || l.lastInAt > l.lastOutAt)
        ? l.lastInAt
        : l.lastOutAt;
    if (l.goingQuiet && lastTouchAt) {
      const quietDays = Math.floor((nowMs - Date.parse(lastTouchAt)) / dayMs);
      if (quietDays - l.cadenceDays <= staleAfterDays) {
        candidates.push({
          l,
          kind: 'going-quiet',
          evidence: { at: nowAt, lastTouchAt, cadenceDays: l.cadenceDays },
          rank: -quietDays / l.cadenceDays,
          quietDays,
        });
      }
    }
  }
  candidates.sort(
    (a, b) =>
      Number(a.l.letGo) - Number(b.l.letGo) ||
      order[a.kind] - order[b.kind] ||
      a.rank - b.rank ||
      (a.l.address < b.l.address ? -1 : 1),
  );
  // A reason is written when it is first read: a digest shows five of hundreds of candidates, and
  // each "3 days ago" is date arithmetic in the user's zone.
  const items = candidates.slice(0, limit).map((c): HelpItem => {
    let reason: string | undefined;
    return {
      address: c.l.address,
      name: c.l.name,
      kind: c.kind,
      evidence: c.evidence,
      get reason() {
        reason ??= reasonOf(c, now, settings.timeZone);
        return reason;
      },
    };
  });
  return { items, more: Math.max(0, candidates.length - limit) };
}
