import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildLedger,
  defaultCadenceDays,
  helpFirst,
  type PausedLedger,
} from '#domain/help-first.ts';
import {
  buildCheckpoint,
  type ColdContact,
  checkpointWithout,
  coldToRead,
  foldsOn,
  type HistoryCheckpoint,
  type SettledIds,
  settledIdsByShard,
  settledShardsFor,
  withColdContacts,
  withColdPaused,
  withFrozen,
  withSettledIds,
  withSince,
} from '#domain/history-checkpoint.ts';
import type { LoggedMessage, Signals } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import { buildThreads, knownAt, type ThreadMessage, type ThreadView } from '#domain/threads.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';

const timeZone = 'Europe/Berlin';
/** The user's settings: a cadence they set for one person, or none. */
const settingsWith = (cadences: Record<string, number> = {}) => ({
  timeZone,
  neverLog: [] as string[],
  cadences,
});
const dayMs = 86_400_000;
const start = Date.parse('2025-01-06T08:00:00Z');
const people = [
  { address: 'ana@a.com', name: 'Ana Lima' },
  { address: 'ben@b.com', name: 'Ben Okafor' },
  { address: 'cy@c.com', name: 'Cy Park' },
  { address: 'dee@d.com', name: 'Dee Ross' },
  { address: 'eve@e.com', name: 'Eve Stone' },
  { address: 'fay@f.com', name: 'Fay Wong' },
];
const subjects = ['Lunch next week?', 'The deck', 'Intro to Acme'];
const signalOf: Record<string, Signals> = {
  none: {},
  promise: { promise: { by: 'tag' } },
  thanks: { thanks: { by: 'tag' } },
  ask: { ask: { by: 'phrase', phrase: 'please book it' } },
  gave: { gave: { by: 'tag' } },
};

/** One message of a random history, as drawn. */
const aSpec = fc.record({
  kind: fc.constantFrom('out', 'out', 'out', 'in', 'in', 'bounce', 'away'),
  person: fc.nat(5),
  also: fc.option(fc.nat(5), { nil: null }),
  subject: fc.nat(2),
  // Most mail within eight months; some up to sixteen, so that people go cold and come back.
  day: fc.oneof(fc.nat(240), fc.nat(240), fc.nat(480)),
  minute: fc.nat(600),
  replyTo: fc.option(fc.oneof(fc.nat(40), fc.constantFrom(-1, -2, -3)), { nil: null }),
  lateDays: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(3), fc.nat(50)),
  signal: fc.constantFrom('none', 'none', 'none', 'promise', 'thanks', 'ask', 'gave'),
  awaited: fc.boolean(),
});

type Spec = typeof aSpec extends fc.Arbitrary<infer T> ? T : never;
type Logged = ThreadMessage & { loggedAt: string };

/** Messages from specs: ids link to earlier specs or to mail never logged; late ones arrive late. */
function history(specs: Spec[]): Logged[] {
  const ids = specs.map((_, i) => `m${i}@mail.example.com`);
  return specs.map((s, i): Logged => {
    const at = new Date(start + s.day * dayMs + s.minute * 60_000).toISOString();
    const who = people[s.person] as (typeof people)[number];
    const messageId = ids[i] as string;
    const parent =
      s.replyTo === null
        ? null
        : s.replyTo < 0
          ? `ghost${-s.replyTo}@mail.example.net`
          : (ids[s.replyTo % Math.max(1, i)] ?? null);
    const links = parent && i > 0 ? { inReplyTo: [parent], references: [parent] } : {};
    const over: Partial<LoggedMessage> = {
      messageId,
      subject: `${parent ? 'Re: ' : ''}${subjects[s.subject]}`,
      signals: signalOf[s.signal] ?? {},
      ...links,
    };
    let m: LoggedMessage;
    if (s.kind === 'out') {
      const first = s.awaited ? asked(who.address, who.name) : told(who.address, 'to', who.name);
      const other = s.also !== null && s.also !== s.person ? people[s.also] : undefined;
      m = sent(at, other ? [first, told(other.address, 'cc', other.name)] : [first], over);
    } else {
      m = received(at, who.address, {
        ...over,
        signals: s.signal === 'thanks' ? over.signals : {},
      });
      m.contacts = [{ ...who, role: 'from', awaited: false }];
      if (s.kind === 'bounce') m.kind = 'bounce';
      if (s.kind === 'away') {
        m.kind = 'auto-reply';
        m.outOfOffice = {
          returnsOn: new Date(Date.parse(at) + 5 * dayMs).toISOString().slice(0, 10),
        };
      }
    }
    const receivedAt = new Date(Date.parse(at) + s.lateDays * dayMs + 60_000).toISOString();
    const { userId: _u, ...rest } = { ...m, receivedAt, loggedAt: receivedAt };
    return rest as unknown as Logged;
  });
}

/** What the views answer: the open pairs of every thread, the whole ledger and Help first. */
function answers(
  messages: ThreadMessage[],
  now: Date,
  settings: ReturnType<typeof settingsWith>,
  resume?: PausedLedger,
  frozen: ThreadView[] = [],
) {
  const known = oneRecordPerSentMail(knownAt(messages, now));
  const membership = new Map<string, string>();
  const threads = withFrozen(buildThreads(known, timeZone, now, membership), frozen);
  const folded = new Set(frozen.map((t) => t.threadKey));
  const ledger = buildLedger(known, threads, settings, now, membership, resume, folded);
  const open = threads.flatMap((t) =>
    t.contacts
      .filter((c) => c.state !== 'replied' && c.state !== 'idle')
      .map((c) => ({ threadKey: t.threadKey, subject: t.subject, ...c })),
  );
  return {
    open,
    ledger: [...ledger].sort((a, b) => (a.address < b.address ? -1 : 1)),
    help: helpFirst(ledger, settings, now, Number.POSITIVE_INFINITY).items,
  };
}

const byKey = (ms: Logged[]) => withSince(ms, []);
const loggedBy = (ms: Logged[], at: string) => byKey(ms.filter((m) => m.loggedAt < at));

/** What a view reads of the settled-id shards: those `settledShardsFor` names, and no other. */
const shardsRead = (
  settled: Map<number, SettledIds[]>,
  cp: HistoryCheckpoint,
  since: ThreadMessage[],
) => new Map(settledShardsFor(cp, since).map((shard) => [shard, settled.get(shard) ?? []]));

/** What a view reads of the cold contacts: those `coldToRead` names, and no other. */
const coldRead = (
  cold: readonly ColdContact[],
  cp: HistoryCheckpoint,
  since: ThreadMessage[],
  also: string[] = [],
) => {
  const wanted = new Set(coldToRead(cp, since, also));
  return withColdContacts(
    cp,
    cold.filter((c) => wanted.has(c.contact.address)),
  );
};

/**
 * The checkpoints a user would have after refreshes at these moments, and their settled-id shards
 * and cold contacts as the store keeps them: ids are only ever added, whatever generation dropped
 * them; a cold contact is written again only when its ledger changed.
 */
function refresh(all: Logged[], moments: Date[]) {
  let checkpoint: HistoryCheckpoint | null = null;
  let dropped = 0;
  let wentCold = 0;
  const settled = new Map<number, SettledIds[]>();
  let cold: ColdContact[] = [];
  for (const builtAt of moments) {
    // The refresh reads for two minutes past `builtAt`: those messages are read again as "since".
    const readUntil = new Date(builtAt.getTime() + 120_000).toISOString();
    const previous: HistoryCheckpoint | null = checkpoint;
    const since = previous
      ? byKey(all.filter((m) => m.loggedAt >= previous.builtAt && m.loggedAt < readUntil))
      : [];
    const on =
      previous !== null && foldsOn(previous, since, shardsRead(settled, previous, since))
        ? coldRead(cold, previous, since)
        : null;
    const built = buildCheckpoint({
      messages: on ? withSince(on.kept, since) : loggedBy(all, readUntil),
      previous: on,
      timeZone,
      builtAt,
    });
    for (const [shard, ids] of settledIdsByShard(built.dropped))
      settled.set(shard, withSettledIds(settled.get(shard) ?? [], ids));
    cold = withColdPaused(cold, built.cold, built.checkpoint.ledger.at) ?? cold;
    checkpoint = built.checkpoint;
    dropped += built.dropped.length;
    wentCold += built.cold.length;
  }
  return { checkpoint, dropped, wentCold, settled, cold };
}

describe('a history checkpoint', () => {
  it('gives the answers of the full fold, whatever the arrival order and the moments it was built', () => {
    let foldedOnCheckpoint = 0;
    let withDrops = 0;
    let withCold = 0;
    let coldLeftUnread = 0;
    let withFrozenThreads = 0;
    fc.assert(
      fc.property(
        fc.array(aSpec, { minLength: 1, maxLength: 40 }),
        fc.array(fc.oneof(fc.nat(300), fc.nat(600)), { minLength: 1, maxLength: 3 }),
        // Views up to four months after the last refresh; some up to a year, for long cadences.
        fc.oneof(fc.nat(120), fc.nat(120), fc.nat(360)),
        fc.option(fc.record({ person: fc.nat(5), days: fc.constantFrom(20, 60, 150, 250, 400) }), {
          nil: null,
        }),
        (specs, days, after, cadence) => {
          // Prepare
          const all = history(specs);
          const cadences = cadence
            ? { [(people[cadence.person] as (typeof people)[number]).address]: cadence.days }
            : {};
          const settings = settingsWith(cadences);
          // A digest reads the cold contacts the mail since names and those with a longer cadence.
          const longer = Object.keys(cadences).filter(
            (a) => (cadences[a] ?? 0) > defaultCadenceDays,
          );
          const moments = [...new Set(days)]
            .sort((a, b) => a - b)
            .map((d) => new Date(start + d * dayMs + 3_600_000));
          const last = moments.at(-1) as Date;
          const now = new Date(last.getTime() + after * dayMs + 7_200_000);

          // Act
          const { checkpoint, dropped, wentCold, settled, cold } = refresh(all, moments);
          const cp = checkpoint as HistoryCheckpoint;
          const since = byKey(
            all.filter((m) => m.loggedAt >= cp.builtAt && m.loggedAt <= now.toISOString()),
          );
          const logged = byKey(all.filter((m) => m.loggedAt <= now.toISOString()));
          const full = answers(logged, now, settings);
          const everyone = withColdContacts(cp, cold) as HistoryCheckpoint;
          const forDigest = coldRead(cold, cp, since, longer) as HistoryCheckpoint;

          // Assess
          if (!foldsOn(cp, since, shardsRead(settled, cp, since))) return;
          foldedOnCheckpoint += 1;
          if (dropped > 0) withDrops += 1;
          if (wentCold > 0) withCold += 1;
          if (forDigest.ledger.contacts.length < everyone.ledger.contacts.length)
            coldLeftUnread += 1;
          if ((cp.frozen ?? []).length > 0) withFrozenThreads += 1;
          const kept = withSince(cp.kept, since);
          expect(answers(kept, now, settings, everyone.ledger, cp.frozen)).toEqual(full);
          const digest = answers(kept, now, settings, forDigest.ledger, cp.frozen);
          expect({ open: digest.open, help: digest.help }).toEqual({
            open: full.open,
            help: full.help,
          });
        },
      ),
      { numRuns: 1000 },
    );
    expect(foldedOnCheckpoint).toBeGreaterThan(600);
    expect(withDrops).toBeGreaterThan(300);
    expect(withCold).toBeGreaterThan(100);
    expect(coldLeftUnread).toBeGreaterThan(100);
    expect(withFrozenThreads).toBeGreaterThan(50);
  }, 120_000);
});

describe('a wait nobody answered, months old', () => {
  // Ana was asked on 6 January and never answered; Ben answered his the same day.
  const ask = sent('2025-01-06T08:00:00.000Z', [asked('ana@a.com', 'Ana Lima')], {
    messageId: 'ask@mail.example.com',
    subject: 'Lunch next week?',
  });
  const other = sent('2025-01-06T09:00:00.000Z', [asked('ben@b.com', 'Ben Okafor')], {
    messageId: 'deck@mail.example.com',
    subject: 'The deck',
  });
  const answer = received('2025-01-06T10:00:00.000Z', 'ben@b.com', {
    messageId: 'deck-re@mail.example.com',
    subject: 'Re: The deck',
    inReplyTo: ['deck@mail.example.com'],
    references: ['deck@mail.example.com'],
  });
  const logged = [ask, other, answer].map((m) => {
    const { userId: _u, ...rest } = { ...m, loggedAt: m.sentAt };
    return rest as unknown as Logged;
  });
  const builtAt = new Date('2025-05-20T08:00:00Z');
  const { checkpoint, dropped } = buildCheckpoint({
    messages: byKey(logged),
    previous: null,
    timeZone,
    builtAt,
  });
  const shards = (since: ThreadMessage[]) => {
    const settled = new Map<number, SettledIds[]>();
    for (const [shard, ids] of settledIdsByShard(dropped))
      settled.set(shard, withSettledIds([], ids));
    return shardsRead(settled, checkpoint, since);
  };

  it('is kept as its thread, not its messages, and still shows as due', () => {
    // Act
    const now = new Date('2025-05-21T08:00:00Z');
    const view = answers([], now, settingsWith(), checkpoint.ledger, checkpoint.frozen);

    // Assess
    expect(checkpoint.kept).toEqual([]);
    expect(dropped).toHaveLength(3);
    expect(checkpoint.frozen?.map((t) => t.subject)).toEqual(['Lunch next week?']);
    expect(view).toEqual(answers(byKey(logged), now, settingsWith()));
    expect(view.open.map((c) => `${c.address}:${c.state}`)).toEqual(['ana@a.com:due']);
  });

  it('has the views read everything when her reply, or a bounce from her address, comes in', () => {
    // Prepare
    const reply = received('2025-05-22T08:00:00.000Z', 'ana@a.com', {
      messageId: 'ask-re@mail.example.com',
      subject: 'Re: Lunch next week?',
      inReplyTo: ['ask@mail.example.com'],
      references: ['ask@mail.example.com'],
    });
    const bounce = {
      ...received('2025-05-22T08:00:00.000Z', 'ana@a.com'),
      kind: 'bounce' as const,
    };
    const unrelated = received('2025-05-22T08:00:00.000Z', 'cy@c.com', { subject: 'Hello' });

    // Act, Assess
    for (const late of [reply, bounce])
      expect(foldsOn(checkpoint, [late], shards([late]))).toBe(false);
    expect(foldsOn(checkpoint, [unrelated], shards([unrelated]))).toBe(true);
  });

  it('leaves the checkpoint when she is forgotten', () => {
    expect(checkpointWithout(checkpoint, 'ana@a.com').frozen).toEqual([]);
    expect(checkpointWithout(checkpoint, 'ben@b.com').frozen).toEqual(checkpoint.frozen);
  });
});
