import { DateTime } from 'luxon';
import { firstName, type HelpItem, type HelpKind, helpFirstLimit } from './help-first.ts';
import { ago } from './human-time.ts';
import { domainOf } from './mailbox.ts';
import type { User } from './model.ts';
import type { ThreadView } from './threads.ts';

/** At most this many Waiting items per digest; `more` brings the rest. */
export const waitingLimit = 10;
/** At most this many let-go people named in the footer. */
export const letGoNamesLimit = 10;

/** Caps on what a digest shows, in user-perceived characters (grapheme clusters). */
export const caps = { name: 60, subject: 80, reason: 220, digestSubject: 100 } as const;

export type DigestSection = 'help-first' | 'waiting';

/** One numbered item, with what a later `snooze 2` / `done 1` / `drop 3` needs to act on it. */
export interface DigestItem {
  number: number;
  section: DigestSection;
  /** Help first's kind, or `due` for a reply the user is waiting on. */
  kind: HelpKind | 'due';
  /** The contact it is about, as stored (never truncated). */
  address: string;
  /** The thread it is on: set for Waiting items, and for a Help-first item that also awaits a reply. */
  threadKey: string | null;
  /** The message whose evidence put it in Help first, when there is one. */
  messageKey: string | null;
  /** When it happened (ISO): the evidence, or when the user wrote. */
  at: string;
  /** Shown: cleaned of control characters and capped. */
  name: string;
  reason: string;
  /** The thread's subject, unless the reason already says it. */
  subject: string | null;
  /** "3 days ago", "you wrote 3 days ago", unless the reason already says it. */
  when: string | null;
}

export interface LetGoPerson {
  address: string;
  name: string;
}

export interface Digest {
  userId: string;
  to: string;
  /** The user's local date it is for (YYYY-MM-DD): one digest per user per local day. */
  date: string;
  /** "Tuesday 3 March", on the user's calendar. */
  dateLabel: string;
  subject: string;
  /** Every numbered item in number order: Help first, then Waiting. */
  items: DigestItem[];
  /** How many items each section left out (the `more` command brings them). */
  more: Record<DigestSection, number>;
  /**
   * People givefirst stops reminding the user about, named once in the footer. `keys` are the
   * (thread, contact) pairs shown: record them once the digest is sent and pass them back as
   * `letGoAlreadyShown`.
   */
  letGo: { people: LetGoPerson[]; keys: string[] };
}

/** What composing a digest reads of a user's relationships (`makeRelationships` gives it). */
export interface DigestSource {
  threads: ThreadView[];
  helpFirst: { items: HelpItem[]; more: number };
}

/** The key of a let-go (thread, contact) pair, as recorded once it was shown. */
export const letGoKey = (threadKey: string, address: string) => `${threadKey} ${address}`;

// Control characters (C0, DEL, C1), line and paragraph separators, and the explicit bidi
// embeddings, overrides and isolates, which could reorder the text around them. Marks (LRM, RLM)
// and joiners (ZWJ: emoji sequences) stay.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as written, on one line: control characters become a space, lone surrogates U+FFFD. */
export function stripControls(s: string): string {
  return s.replace(loneSurrogate, '\ufffd').replace(controls, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Made on first use: making one costs a few milliseconds, and loading the module must not. */
let graphemes: Intl.Segmenter | undefined;

/**
 * At most `max` user-perceived characters, cut between grapheme clusters (never inside a
 * surrogate pair or an emoji sequence), at a word break when one is near, with an ellipsis.
 */
export function truncate(s: string, max: number): string {
  // Code units are capped too, so one cluster of a thousand combining marks cannot blow it up.
  const maxUnits = max * 8;
  let count = 0;
  let keep = 0;
  let over = false;
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment, index } of graphemes.segment(s)) {
    const end = index + segment.length;
    count += 1;
    if (count > max || end > maxUnits) {
      over = true;
      break;
    }
    if (count < max) keep = end;
  }
  if (!over) return s;
  let kept = s.slice(0, keep);
  const space = kept.search(/\s\S*$/);
  if (space > kept.length * 0.7) kept = kept.slice(0, space);
  const trimmed = kept.replace(/[\s\p{P}]+$/u, '');
  return `${trimmed || kept}…`;
}

const shown = (s: string, max: number) => truncate(stripControls(s), max);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const displayName = (name: string, address: string) =>
  shown(stripControls(name).replace(/^"(.*)"$/, '$1'), caps.name) || shown(address, caps.name);

/** "2 people to help first · 3 waiting on replies": what is inside, nothing else. */
function subjectOf(items: DigestItem[]): string {
  const people = new Set(items.filter((i) => i.section === 'help-first').map((i) => i.address));
  const waiting = items.filter((i) => i.section === 'waiting').length;
  const parts = [
    people.size > 0 ? `${plural(people.size, 'person', 'people')} to help first` : '',
    waiting > 0 ? `${waiting} waiting on ${waiting === 1 ? 'a reply' : 'replies'}` : '',
  ];
  return truncate(parts.filter(Boolean).join(' · '), caps.digestSubject);
}

type Unnumbered = Omit<DigestItem, 'number'>;

/** A bounce is news: say where the mail went and what to do, not "assume the best". */
function bouncedReason(name: string, address: string): string {
  const first = stripControls(name)
    .replace(/^"(.*)"$/, '$1')
    .split(/\s+/)[0];
  const who = first ? `${first} at ${address}` : address;
  return `Your mail to ${who} didn't arrive (the address bounced). Find a new way to reach them.`;
}

function helpItem(item: HelpItem, now: Date, timeZone: string): Unnumbered {
  const e = item.evidence;
  const signal = 'lastTouchAt' in e ? null : e;
  const at = 'lastTouchAt' in e ? e.lastTouchAt : e.at;
  const when = signal ? ago(at, now, timeZone) : null;
  const subject = signal?.subject.trim() ? signal.subject : null;
  return {
    section: 'help-first',
    kind: item.kind,
    address: item.address,
    threadKey: null,
    messageKey: signal?.messageKey ?? null,
    at,
    name: displayName(item.name, item.address),
    reason: shown(item.reason, caps.reason),
    subject: subject && !item.reason.includes(subject) ? shown(subject, caps.subject) : null,
    when: when && !item.reason.includes(when) ? when : null,
  };
}

/**
 * The day's digest for a user, or null when there is nothing to show. Items are numbered across the
 * whole digest: Help first (at most 5, promises first, as ranked), then the replies the user is
 * waiting on (the due pairs, longest waiting first). People the ladder let go are named once, in
 * the footer, unless `letGoAlreadyShown` says an earlier digest named them. Never-log contacts
 * never appear. Every shown string is cleaned of control characters and capped.
 */
export function composeDigest(input: {
  user: User;
  relationships: DigestSource;
  now: Date;
  letGoAlreadyShown?: ReadonlySet<string>;
}): Digest | null {
  const { user, relationships, now } = input;
  const { timeZone } = user;
  const never = (address: string) =>
    user.neverLog.some((n) => n === address || n === `@${domainOf(address)}`);

  const candidates = relationships.helpFirst.items.filter((i) => !never(i.address));
  const help = candidates.slice(0, helpFirstLimit).map((i) => helpItem(i, now, timeZone));
  const helpMore = relationships.helpFirst.more + Math.max(0, candidates.length - helpFirstLimit);

  const duePairs = relationships.threads.flatMap((t) =>
    t.contacts
      .filter((c) => (c.state === 'due' || c.state === 'bounced') && !never(c.address))
      .map((c) => ({ t, c, since: c.since ?? t.lastAt })),
  );
  // One person and thread is one item: a Help-first item whose evidence is the message a due
  // reply is awaited for says both, and the Waiting item goes.
  const merged = new Set<(typeof duePairs)[number]>();
  for (const item of help) {
    const pair = duePairs.find(
      (p) =>
        !merged.has(p) &&
        // A bounce is news of its own ("didn't arrive"): never folded into an ask.
        p.c.state === 'due' &&
        p.c.address === item.address &&
        item.messageKey !== null &&
        p.c.history.some((h) => h.messageKey === item.messageKey),
    );
    if (!pair) continue;
    merged.add(pair);
    item.threadKey = pair.t.threadKey;
    // The reply that is due comes first (it is the thing to do now, and may say they were away);
    // an open ask then needs no quote again, the thread's subject is shown below it.
    item.reason = shown(
      item.kind === 'give-before-ask'
        ? `${pair.c.reason ?? ''} While you wait: is there something you could offer ${firstName(item)}?`
        : `${item.reason} No reply yet either: ${pair.c.reason ?? ''}`,
      caps.reason,
    );
  }
  const due = duePairs
    .filter((p) => !merged.has(p))
    .sort(
      (a, b) =>
        (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) ||
        (a.c.address < b.c.address ? -1 : 1),
    );
  const waiting = due.slice(0, waitingLimit).map(
    ({ t, c, since }): Unnumbered => ({
      section: 'waiting',
      kind: 'due',
      address: c.address,
      threadKey: t.threadKey,
      messageKey: null,
      at: since,
      name: displayName(c.name, c.address),
      reason: shown(
        c.state === 'bounced'
          ? bouncedReason(c.name, c.address)
          : (c.reason ?? 'Assume the best: maybe they missed it.'),
        caps.reason,
      ),
      subject: shown(t.subject, caps.subject) || '(no subject)',
      when: `you ${c.nudges > 0 ? 'first wrote' : 'wrote'} ${ago(since, now, timeZone)}`,
    }),
  );

  const items = [...help, ...waiting].map((item, i) => ({ number: i + 1, ...item }));
  if (items.length === 0) return null;

  const already = input.letGoAlreadyShown ?? new Set<string>();
  const letGoPairs = relationships.threads.flatMap((t) =>
    t.contacts
      .filter((c) => c.state === 'let-go' && !never(c.address))
      .map((c) => ({ key: letGoKey(t.threadKey, c.address), c }))
      .filter(({ key }) => !already.has(key)),
  );
  const people = new Map<string, LetGoPerson>();
  for (const { c } of letGoPairs) {
    if (!people.has(c.address))
      people.set(c.address, { address: c.address, name: displayName(c.name, c.address) });
  }

  const local = DateTime.fromJSDate(now, { zone: timeZone }).setLocale('en');
  return {
    userId: user.userId,
    to: user.email,
    date: local.toISODate() ?? now.toISOString().slice(0, 10),
    dateLabel: local.toFormat('cccc d LLLL'),
    subject: subjectOf(items),
    items,
    more: { 'help-first': helpMore, waiting: Math.max(0, due.length - waitingLimit) },
    letGo: { people: [...people.values()], keys: letGoPairs.map((p) => p.key) },
  };
}
