import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLedger, helpFirst, type PausedLedger } from '#domain/help-first.ts';
import {
  buildCheckpoint,
  foldsOn,
  type HistoryCheckpoint,
  type SettledIds,
  settledIdsByShard,
  settledShardsFor,
  withSettledIds,
  withSince,
} from '#domain/history-checkpoint.ts';
import type { LoggedMessage, Signals } from '#domain/model.ts';
import { oneRecordPerSentMail } from '#domain/one-record-per-sent-mail.ts';
import { buildThreads, knownAt, type ThreadMessage } from '#domain/threads.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';

const timeZone = 'Europe/Berlin';
const settings = { timeZone, neverLog: [] as string[] };
const dayMs = 86_400_000;
const start = Date.parse('2025-01-06T08:00:00Z');
const people = [
  { address: 'ana@a.com', name: 'Ana Lima' },
  { address: 'ben@b.com', name: 'Ben Okafor' },
  { address: 'cy@c.com', name: 'Cy Park' },
  { address: 'dee@d.com', name: 'Dee Ross' },
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
  person: fc.nat(3),
  also: fc.option(fc.nat(3), { nil: null }),
  subject: fc.nat(2),
  day: fc.nat(240),
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
function answers(messages: ThreadMessage[], now: Date, resume?: PausedLedger) {
  const known = oneRecordPerSentMail(knownAt(messages, now));
  const membership = new Map<string, string>();
  const threads = buildThreads(known, timeZone, now, membership);
  const ledger = buildLedger(known, threads, settings, now, membership, resume);
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

/**
 * The checkpoints a user would have after refreshes at these moments, and their settled-id shards
 * as the store keeps them: ids are only ever added, whatever generation dropped them.
 */
function refresh(all: Logged[], moments: Date[]) {
  let checkpoint: HistoryCheckpoint | null = null;
  let dropped = 0;
  const settled = new Map<number, SettledIds[]>();
  for (const builtAt of moments) {
    // The refresh reads for two minutes past `builtAt`: those messages are read again as "since".
    const readUntil = new Date(builtAt.getTime() + 120_000).toISOString();
    const previous: HistoryCheckpoint | null = checkpoint;
    const since = previous
      ? byKey(all.filter((m) => m.loggedAt >= previous.builtAt && m.loggedAt < readUntil))
      : [];
    const folds =
      previous !== null && foldsOn(previous, since, shardsRead(settled, previous, since));
    const built = buildCheckpoint({
      messages: folds && previous ? withSince(previous.kept, since) : loggedBy(all, readUntil),
      previous: folds ? previous : null,
      timeZone,
      builtAt,
    });
    for (const [shard, ids] of settledIdsByShard(built.dropped))
      settled.set(shard, withSettledIds(settled.get(shard) ?? [], ids));
    checkpoint = built.checkpoint;
    dropped += built.dropped.length;
  }
  return { checkpoint, dropped, settled };
}

describe('a history checkpoint', () => {
  it('gives the answers of the full fold, whatever the arrival order and the moments it was built', () => {
    let foldedOnCheckpoint = 0;
    let withDrops = 0;
    fc.assert(
      fc.property(
        fc.array(aSpec, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(300), { minLength: 1, maxLength: 3 }),
        fc.nat(120),
        (specs, days, after) => {
          // Prepare
          const all = history(specs);
          const moments = [...new Set(days)]
            .sort((a, b) => a - b)
            .map((d) => new Date(start + d * dayMs + 3_600_000));
          const last = moments.at(-1) as Date;
          const now = new Date(last.getTime() + after * dayMs + 7_200_000);

          // Act
          const { checkpoint, dropped, settled } = refresh(all, moments);
          const cp = checkpoint as HistoryCheckpoint;
          const since = byKey(
            all.filter((m) => m.loggedAt >= cp.builtAt && m.loggedAt <= now.toISOString()),
          );
          const full = answers(byKey(all.filter((m) => m.loggedAt <= now.toISOString())), now);

          // Assess
          if (!foldsOn(cp, since, shardsRead(settled, cp, since))) return;
          foldedOnCheckpoint += 1;
          if (dropped > 0) withDrops += 1;
          expect(answers(withSince(cp.kept, since), now, cp.ledger)).toEqual(full);
        },
      ),
      { numRuns: 500 },
    );
    expect(foldedOnCheckpoint).toBeGreaterThan(300);
    expect(withDrops).toBeGreaterThan(150);
  }, 120_000);
});
