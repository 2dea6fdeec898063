import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoggedMessage, Signals } from '#domain/model.ts';
import type { LedgerStore } from '#domain/ports.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';
import { aUser } from '#test/builders/user.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeListThreads } from '#use-cases/list-threads.ts';

/** The user's logged mail, held in memory: the only part of the store the views read. */
class InMemoryLedger implements Pick<LedgerStore, 'listThreadMessages'> {
  constructor(readonly messages: LoggedMessage[]) {}
  async listThreadMessages() {
    return this.messages;
  }
}

const user = aUser({ userId: 'user-1', timeZone: 'Europe/Berlin' });
const clock = () => new Date('2026-06-01T00:00:00Z');
const people = ['alice@a.com', 'bob@b.com', 'cara@c.com', 'dev@d.com'];
const subjects = ['Lunch next week?', 'Intro to Acme', 'Review the deck'];
const signalChoices: Signals[] = [
  {},
  { ask: { by: 'phrase', phrase: 'Could you review the deck?' } },
  { thanks: { by: 'phrase', phrase: 'Thanks so much for the intro!' } },
  { promise: { by: 'phrase', phrase: "I'll send you the notes." } },
  { gave: { by: 'tag' } },
];
const march = Date.parse('2026-03-02T08:00:00Z');
const hour = 3_600_000;

/** One step of a month: who, on which thread, which way, when sent and how much later received. */
const aStep = fc.record({
  person: fc.nat(people.length - 1),
  subject: fc.nat(subjects.length - 1),
  inbound: fc.boolean(),
  asks: fc.boolean(),
  signals: fc.nat(signalChoices.length - 1),
  sentHours: fc.nat(30 * 24),
  lagHours: fc.oneof(fc.constant(0), fc.nat(24 * 9)),
});

type Step = typeof aStep extends fc.Arbitrary<infer S> ? S : never;

function mailOf(steps: Step[]): LoggedMessage[] {
  const firstOf = new Map<string, string>();
  return steps.map((s, i) => {
    const address = people[s.person] as string;
    const subject = subjects[s.subject] as string;
    const at = new Date(march + s.sentHours * hour).toISOString();
    const receivedAt = new Date(march + (s.sentHours + s.lagHours) * hour).toISOString();
    const messageId = `m${i}@mail.example.com`;
    const first = firstOf.get(subject);
    if (!first) firstOf.set(subject, messageId);
    const links = first ? { inReplyTo: [first], references: [first] } : {};
    if (s.inbound) return received(at, address, { messageId, subject, receivedAt, ...links });
    const contact = s.asks ? asked(address, address) : told(address, 'to', address);
    return sent(at, [contact], {
      messageId,
      subject,
      receivedAt,
      signals: signalChoices[s.signals] ?? {},
      ...links,
    });
  });
}

describe('a moment in the past', () => {
  it('is judged from the mail received by then, as a replay of only that mail would be (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(aStep, { minLength: 1, maxLength: 25 }),
        fc.nat(40 * 24),
        async (steps, asOfHours) => {
          // Prepare: every message, and only those that had arrived by the moment
          const mail = mailOf(steps);
          const asOf = new Date(march - 3 * 24 * hour + asOfHours * hour);
          const arrived = mail.filter(
            (m) => Date.parse(m.receivedAt ?? m.sentAt) <= asOf.getTime(),
          );
          const full = new InMemoryLedger(mail);
          const replay = new InMemoryLedger(arrived);

          // Act
          const threads = await makeListThreads({ store: full, clock })(user, asOf);
          const relationships = await makeRelationships({ store: full, clock })(user, asOf);

          // Assess
          expect(threads).toEqual(await makeListThreads({ store: replay, clock })(user, asOf));
          expect(relationships).toEqual(
            await makeRelationships({ store: replay, clock })(user, asOf),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('does not show nudges sent after it, nor a reply forwarded after it', async () => {
    // Prepare: asked on Thursday 1 Oct; nudged on 13 and 21 Oct; a reply dated 9 Oct forwarded on 22 Oct
    const question = sent('2026-10-01T09:00:00Z', [asked('raj@r.com', 'Raj')], {
      messageId: 'q@mail.example.com',
    });
    const nudges = ['2026-10-13T09:00:00Z', '2026-10-21T09:00:00Z'].map((at, i) =>
      sent(at, [asked('raj@r.com', 'Raj')], {
        messageId: `n${i}@mail.example.com`,
        inReplyTo: ['q@mail.example.com'],
      }),
    );
    const reply = received('2026-10-09T09:00:00Z', 'raj@r.com', {
      via: 'forward-inline',
      receivedAt: '2026-10-22T09:00:00.000Z',
      subject: 'Re: Lunch next week?',
    });
    const store = new InMemoryLedger([question, ...nudges, reply]);

    // Act
    const threads = await makeListThreads({ store, clock })(user, new Date('2026-10-12T09:00:00Z'));

    // Assess: on 12 October it was due, never nudged, and no reply was known yet
    expect(threads[0]?.contacts[0]).toMatchObject({ state: 'due', nudges: 0 });
  });
});
