import { describe, expect, it } from 'vitest';
import { buildLedger, type HelpSettings, helpFirst } from '#domain/help-first.ts';
import type { LoggedMessage, Signals } from '#domain/model.ts';
import { buildThreads } from '#domain/threads.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';

const settings = { timeZone: 'Europe/Berlin', neverLog: [] as string[] };
const phrase = (p: string) => ({ by: 'phrase' as const, phrase: p });
const tag = { by: 'tag' as const };
const to = (
  address: string,
  name: string,
  at: string,
  signals: Signals,
  over: Partial<LoggedMessage> = {},
) => sent(at, [told(address, 'to', name)], { signals, subject: 'Hello', ...over });

function help(messages: LoggedMessage[], now: string, extra: Partial<HelpSettings> = {}) {
  const at = new Date(now);
  const membership = new Map<string, string>();
  const threads = buildThreads(messages, settings.timeZone, at, membership);
  const ledger = buildLedger(messages, threads, { ...settings, ...extra }, at, membership);
  return { ledger, ...helpFirst(ledger, { ...settings, ...extra }, at) };
}

describe('the favour ledger', () => {
  it('keeps a promise open until a later gave to the same person fulfils it, oldest first', () => {
    const messages = [
      to('dana@d.com', 'Dana Reyes', '2026-03-01T09:00:00Z', {
        promise: phrase("I'll introduce you to the Acme team"),
      }),
      to('dana@d.com', 'Dana Reyes', '2026-03-02T09:00:00Z', {
        promise: phrase("I'll send you the deck"),
      }),
      to('dana@d.com', 'Dana Reyes', '2026-03-05T09:00:00Z', { gave: phrase('here is the intro') }),
    ];

    const dana = help(messages, '2026-03-07T09:00:00Z').ledger.find(
      (l) => l.address === 'dana@d.com',
    );

    expect(dana?.openPromises.map((p) => p.signal)).toEqual([phrase("I'll send you the deck")]);
    expect(dana?.favoursGiven).toBe(1);
  });

  it('records a gave with no open promise as a favour given, nothing more', () => {
    const { ledger, items } = help(
      [to('sam@s.com', 'Sam', '2026-03-01T09:00:00Z', { gave: tag })],
      '2026-03-02T09:00:00Z',
    );

    expect(ledger[0]).toMatchObject({ favoursGiven: 1, openPromises: [], owed: null });
    expect(items).toEqual([]);
  });

  it('owes a favour to someone who helped until the user gives to them', () => {
    const thanks = to('sam@s.com', 'Sam Lee', '2026-03-01T09:00:00Z', {
      thanks: phrase('thank you for the intro to Lee'),
    });
    const owed = help([thanks], '2026-03-03T09:00:00Z');
    const settled = help(
      [thanks, to('sam@s.com', 'Sam Lee', '2026-03-02T09:00:00Z', { gave: tag })],
      '2026-03-03T09:00:00Z',
    );

    expect(owed.items.map((i) => i.kind)).toEqual(['favour-owed']);
    expect(owed.items[0]?.reason).toBe(
      'Sam helped you 2 days ago ("thank you for the intro to Lee") — a good moment to return the favour.',
    );
    expect(settled.items).toEqual([]);
  });

  it('suggests giving before asking only when the user has not given to them before', () => {
    const ask = to('kim@k.com', 'Kim', '2026-03-10T09:00:00Z', {
      ask: phrase('could you write me a reference'),
    });
    const given = to('kim@k.com', 'Kim', '2026-02-01T09:00:00Z', { gave: tag });

    expect(help([ask], '2026-03-11T09:00:00Z').items[0]?.reason).toBe(
      `You asked Kim for something ("could you write me a reference"); is there something you could offer Kim while that's open?`,
    );
    expect(help([given, ask], '2026-03-11T09:00:00Z').items).toEqual([]);
  });

  it('closes an ask once they write back', () => {
    const ask = to('kim@k.com', 'Kim', '2026-03-10T09:00:00Z', { ask: tag });
    const answer = received('2026-03-11T09:00:00Z', 'kim@k.com', { subject: 'Re: Hello' });

    expect(help([ask, answer], '2026-03-12T09:00:00Z').items).toEqual([]);
  });

  it('counts a reply seen only in the user own mail as a touch in (it makes the relationship two-way)', () => {
    const question = sent('2026-01-05T09:00:00Z', [asked('robin@r.com', 'Robin')], {
      messageId: 'q@mail.example.com',
    });
    const follow = sent('2026-01-07T09:00:00Z', [told('robin@r.com', 'to', 'Robin')], {
      references: ['q@mail.example.com'],
      attribution: {
        name: 'Robin',
        address: 'robin@r.com',
        date: new Date('2026-01-06T09:00:00Z'),
        line: 'On … Robin wrote:',
      },
    });

    const robin = help([question, follow], '2026-06-01T09:00:00Z').ledger[0];

    expect(robin).toMatchObject({ touchesOut: 2, touchesIn: 1, twoWay: true, goingQuiet: true });
  });
});

describe('an ask', () => {
  const venue = 'events@lumen.example';
  const question = sent('2026-03-02T09:00:00Z', [asked(venue, 'Leo Marsh')], {
    messageId: 'venue-q@mail.example.com',
    subject: 'Room for 40 on 12 March?',
  });
  const answer = received('2026-03-03T09:00:00Z', venue, {
    subject: 'Re: Room for 40 on 12 March?',
    inReplyTo: ['venue-q@mail.example.com'],
  });
  const onThread = (at: string, words: string) =>
    sent(at, [asked(venue, 'Leo Marsh')], {
      subject: 'Re: Room for 40 on 12 March?',
      references: ['venue-q@mail.example.com'],
      signals: { ask: phrase(words) },
    });

  it('is no favour asked when it is a plain instruction to someone who already answered; a request for help still is', () => {
    const book = onThread('2026-03-03T10:00:00Z', 'Perfect, please book it.');
    const review = onThread('2026-03-03T10:00:00Z', 'Could you review our run of show?');

    expect(
      help([question, answer, book], '2026-03-04T09:00:00Z').items.map((i) => i.reason),
    ).toEqual([]);

    expect(help([question, answer, review], '2026-03-04T09:00:00Z').items).toMatchObject([
      { kind: 'give-before-ask', address: venue },
    ]);
  });
});

describe('an ask that was heard or never arrived', () => {
  const ask = (address: string) =>
    sent('2026-03-02T09:00:00Z', [asked(address, 'Tom Okafor')], {
      messageId: `ask-${address}`,
      subject: 'Pilot in January?',
      signals: { ask: phrase('Would you be open to a pilot in January?') },
    });
  const onThread = (address: string) => ({
    subject: 'Re: Pilot in January?',
    references: [`ask-${address}`],
  });

  it('closes when the wait closed as answered elsewhere ("thanks for the call")', () => {
    const thanks = sent('2026-03-09T18:00:00Z', [told('tom@acme.example', 'to', 'Tom Okafor')], {
      ...onThread('tom@acme.example'),
    });

    expect(help([ask('tom@acme.example'), thanks], '2026-03-10T09:00:00Z').items).toEqual([]);
  });

  it('is not open when the mail that asked bounced', () => {
    const bounce = received('2026-03-02T09:01:00Z', 'mailer-daemon@googlemail.com', {
      kind: 'bounce',
      subject: 'Delivery Status Notification (Failure)',
      contacts: [{ address: 'tom@old.example', name: '', role: 'to', awaited: false }],
    });

    expect(help([ask('tom@old.example'), bounce], '2026-03-03T09:00:00Z').items).toEqual([]);
  });
});

describe('going quiet', () => {
  const robinWrites = (at: string) => received(at, 'robin@r.com', { subject: 'News' });
  const toRobin = (at: string, subject = 'Hello') =>
    to('robin@r.com', 'Robin Park', at, {}, { subject });

  it('is only for two-way relationships past their cadence (default 90 days)', () => {
    const oneWay = [toRobin('2025-10-01T09:00:00Z')];
    const twoWay = [toRobin('2025-10-01T09:00:00Z'), robinWrites('2025-10-03T09:00:00Z')];

    expect(help(oneWay, '2026-02-01T09:00:00Z').items).toEqual([]);
    expect(help(twoWay, '2025-12-20T09:00:00Z').items).toEqual([]);
    expect(help(twoWay, '2026-02-01T09:00:00Z').items[0]?.reason).toBe(
      "You and Robin haven't written in 4 months (you usually do every 3 months).",
    );
  });

  it('reads the rhythm from the latest twelve conversations: how often you talk now', () => {
    const day = 86_400_000;
    const at = (t: number) => new Date(t).toISOString();
    const start = Date.parse('2015-01-05T09:00:00Z');
    // Fifteen conversations 300 days apart, then twelve 45 days apart, each its own thread.
    const old = Array.from({ length: 15 }, (_, i) => start + i * 300 * day);
    const lastOld = old.at(-1) as number;
    const recent = Array.from({ length: 12 }, (_, i) => lastOld + (i + 1) * 45 * day);
    const messages = [...old, ...recent].map((t, i) =>
      i % 2
        ? received(at(t), 'robin@r.com', { subject: `News ${i}` })
        : toRobin(at(t), `Catching up ${i}`),
    );

    const { ledger } = help(messages, at((recent.at(-1) as number) + 10 * day));

    // All 26 gaps would give 300 days (most of them are the old ones).
    expect(ledger[0]).toMatchObject({ rhythmDays: 45, cadenceDays: 45 });
  });

  it('takes the rhythm as the median gap between conversations, whatever their order of size', () => {
    const day = 86_400_000;
    const at = (t: number) => new Date(t).toISOString();
    const talks = (gaps: number[]) => {
      const starts = [Date.parse('2025-01-06T09:00:00Z')];
      for (const gap of gaps) starts.push((starts.at(-1) as number) + gap * day);
      return starts.map((t, i) =>
        i % 2
          ? received(at(t), 'robin@r.com', { subject: `News ${i}` })
          : toRobin(at(t), `Catching up ${i}`),
      );
    };
    const rhythm = (gaps: number[]) => {
      const messages = talks(gaps);
      return help(messages, at(Date.parse(messages.at(-1)?.sentAt ?? '') + day)).ledger[0]
        ?.rhythmDays;
    };

    // Odd: the middle of 50, 10, 70, 20, 35 is 35. Even: halfway between 20 and 40 of 60, 5, 40, 20.
    expect(rhythm([50, 10, 70, 20, 35])).toBe(35);
    expect(rhythm([60, 5, 40, 20])).toBe(30);
    expect(rhythm([1.25, 1.5, 1.75])).toBe(2);
  });

  it('tightens the cadence to the contact own rhythm when that is shorter', () => {
    const everySixWeeks = ['2025-06-01', '2025-07-13', '2025-08-24', '2025-10-05'].flatMap(
      (d, i) => (i % 2 ? [robinWrites(`${d}T09:00:00Z`)] : [toRobin(`${d}T09:00:00Z`)]),
    );

    const { ledger, items } = help(everySixWeeks, '2025-12-01T09:00:00Z');

    expect(ledger[0]).toMatchObject({ rhythmDays: 42, cadenceDays: 42, goingQuiet: true });
    expect(items[0]?.reason).toBe(
      "You and Robin haven't written in 8 weeks (you usually do every 6 weeks).",
    );
  });

  it('learns no rhythm from a burst of replies within one conversation', () => {
    // Four messages in eight days about one meeting, on one thread
    const first = sent('2026-03-02T09:00:00Z', [asked('robin@r.com', 'Robin Park')], {
      messageId: 'plan@mail.example.com',
      subject: 'Meeting in Lyon?',
    });
    const onThread = { subject: 'Re: Meeting in Lyon?', references: ['plan@mail.example.com'] };
    const burst = [
      first,
      received('2026-03-04T09:00:00Z', 'robin@r.com', onThread),
      sent('2026-03-06T09:00:00Z', [asked('robin@r.com', 'Robin Park')], onThread),
      received('2026-03-10T09:00:00Z', 'robin@r.com', onThread),
    ];

    const { ledger, items } = help(burst, '2026-03-31T09:00:00Z');

    expect(ledger[0]).toMatchObject({ rhythmDays: null, cadenceDays: 90, goingQuiet: false });
    expect(items).toEqual([]);
  });

  it('tightens the default cadence to a learned rhythm no further than 30 days', () => {
    // A new conversation each week, each answered the same day
    const weekly = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26'].flatMap((d, i) => [
      to(
        'robin@r.com',
        'Robin Park',
        `${d}T09:00:00Z`,
        {},
        {
          subject: `Week ${i}`,
          messageId: `week${i}@mail.example.com`,
        },
      ),
      received(`${d}T15:00:00Z`, 'robin@r.com', {
        subject: `Re: Week ${i}`,
        references: [`week${i}@mail.example.com`],
      }),
    ]);

    const { ledger } = help(weekly, '2026-02-20T09:00:00Z');
    expect(ledger[0]).toMatchObject({ rhythmDays: 7, cadenceDays: 30, goingQuiet: false });
    expect(help(weekly, '2026-02-27T09:00:00Z').ledger[0]).toMatchObject({ goingQuiet: true });
    // A cadence the user set wins over both
    expect(
      help(weekly, '2026-02-27T09:00:00Z', { cadences: { 'robin@r.com': 14 } }).ledger[0],
    ).toMatchObject({ cadenceDays: 14 });
  });

  it('resets with any logged mail', () => {
    const messages = [
      toRobin('2025-10-01T09:00:00Z'),
      robinWrites('2025-10-03T09:00:00Z'),
      toRobin('2026-01-25T09:00:00Z'),
    ];

    expect(help(messages, '2026-02-01T09:00:00Z').items).toEqual([]);
  });
});

describe('Help first', () => {
  it('ranks promises (oldest first), favours owed, give-before-ask, then going quiet; at most 5', () => {
    const messages = [
      to('a@a.com', 'Ann', '2026-03-03T09:00:00Z', { promise: tag }),
      to('b@b.com', 'Ben', '2026-03-01T09:00:00Z', { promise: tag }),
      to('c@c.com', 'Cy', '2026-03-02T09:00:00Z', { thanks: tag }),
      to('d@d.com', 'Di', '2026-03-02T09:00:00Z', { ask: tag }),
      to('e@e.com', 'Ed', '2025-10-01T09:00:00Z', {}),
      received('2025-10-02T09:00:00Z', 'e@e.com', { subject: 'Hi' }),
      to('f@f.com', 'Flo', '2026-03-04T09:00:00Z', { ask: tag }),
    ];

    const { items, more } = help(messages, '2026-03-10T09:00:00Z');

    expect(items.map((i) => [i.kind, i.name])).toEqual([
      ['promise', 'Ben'],
      ['promise', 'Ann'],
      ['favour-owed', 'Cy'],
      ['give-before-ask', 'Di'],
      ['give-before-ask', 'Flo'],
    ]);
    expect(more).toBe(1);
  });

  it('never suggests a never-log contact, and drops items nobody acted on for 90 days', () => {
    const promise = to('dana@d.com', 'Dana', '2026-01-01T09:00:00Z', { promise: tag });

    expect(help([promise], '2026-01-10T09:00:00Z', { neverLog: ['@d.com'] }).items).toEqual([]);
    expect(help([promise], '2026-04-15T09:00:00Z').items).toEqual([]);
  });

  it('shows a new promise or ask behind one that dropped out, and a gift keeps the new one', () => {
    const old = [
      to('dana@d.com', 'Dana', '2025-06-01T09:00:00Z', { promise: phrase("I'll send the deck") }),
      to('dana@d.com', 'Dana', '2025-06-02T09:00:00Z', { ask: phrase('could you review it') }),
    ];
    const fresh = [
      to('dana@d.com', 'Dana', '2026-03-01T09:00:00Z', { promise: phrase("I'll introduce you") }),
      to('dana@d.com', 'Dana', '2026-03-02T09:00:00Z', { ask: phrase('could you advise me') }),
    ];
    const gift = to('dana@d.com', 'Dana', '2026-03-05T09:00:00Z', { gave: phrase('here it is') });

    const before = help([...old, ...fresh], '2026-03-04T09:00:00Z');
    const after = help([...old, ...fresh, gift], '2026-03-06T09:00:00Z');

    // The year-old promise and ask are no longer open; the new ones are shown.
    expect(
      before.items.map((i) => [i.kind, i.evidence && 'at' in i.evidence && i.evidence.at]),
    ).toEqual([
      ['promise', '2026-03-01T09:00:00.000Z'],
      ['give-before-ask', '2026-03-02T09:00:00.000Z'],
    ]);
    expect(before.ledger[0]?.openPromises).toHaveLength(1);
    // The gift fulfils the promise still open, not the one that dropped out.
    expect(after.ledger[0]?.openPromises).toEqual([]);
    expect(after.items).toEqual([]);
  });

  it('tells a promise by tag with its subject, and when', () => {
    const { items } = help(
      [
        to(
          'dana@d.com',
          'Reyes, Dana',
          '2026-03-04T09:00:00Z',
          { promise: tag },
          { subject: 'Acme intro' },
        ),
      ],
      '2026-03-10T09:00:00Z',
    );

    expect(items[0]?.reason).toBe('You promised Dana something in "Acme intro" 6 days ago.');
  });
});
