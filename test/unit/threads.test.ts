import { describe, expect, it } from 'vitest';
import type { Attribution, LoggedMessage } from '#domain/model.ts';
import { buildThreads } from '#domain/threads.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';

const zone = 'Europe/Berlin';
const view = (messages: LoggedMessage[], now = '2026-06-01T09:00:00Z') =>
  buildThreads(messages, zone, new Date(now));
const states = (messages: LoggedMessage[], now?: string) =>
  view(messages, now).map((t) => [t.subject, t.contacts.map((c) => `${c.address}:${c.state}`)]);
const attribution = (over: Partial<Attribution>): Attribution => ({
  name: 'Alice Smith',
  address: 'alice@x.com',
  date: new Date('2026-03-03T09:00:00Z'),
  line: 'On Tue, 3 Mar 2026, Alice Smith <alice@x.com> wrote:',
  ...over,
});

const question = sent('2026-03-02T09:00:00Z', [asked('alice@x.com', 'Alice Smith')], {
  messageId: 'q@mail.example.com',
});

describe('threads and reply evidence', () => {
  it('joins a message to its thread by References, whatever order they came in', () => {
    const follow = sent('2026-03-09T09:00:00Z', [asked('alice@x.com')], {
      subject: 'Re: Lunch next week?',
      references: ['q@mail.example.com'],
    });

    for (const order of [
      [question, follow],
      [follow, question],
    ]) {
      const threads = view(order, '2026-03-10T09:00:00Z');
      expect(threads).toHaveLength(1);
      expect(threads[0]).toMatchObject({ subject: 'Lunch next week?', messages: 2 });
      expect(threads[0]?.contacts[0]).toMatchObject({ state: 'waiting', nudges: 1 });
    }
  });

  it('closes on a reply that reached the log address in Cc', () => {
    const reply = received('2026-03-03T10:00:00Z', 'alice@x.com', {
      inReplyTo: ['q@mail.example.com'],
    });

    expect(states([question, reply])).toEqual([['Lunch next week?', ['alice@x.com:replied']]]);
  });

  it('closes on a forwarded reply with no links, by subject, within 60 days', () => {
    const forwarded = received('2026-03-04T10:00:00Z', 'alice@x.com', { via: 'forward-inline' });

    const [thread] = view([question, forwarded]);
    expect(thread?.contacts[0]).toMatchObject({ state: 'replied' });
    expect(thread?.contacts[0]?.history.at(-1)?.what).toBe('replied (you forwarded their reply)');
  });

  it('starts a new thread for the same subject reused months later', () => {
    const reply = received('2026-03-03T10:00:00Z', 'alice@x.com', {
      inReplyTo: ['q@mail.example.com'],
    });
    const again = sent('2026-09-01T09:00:00Z', [asked('alice@x.com')]);

    const threads = view([question, reply, again], '2026-09-02T09:00:00Z');
    expect(threads.map((t) => t.contacts.map((c) => c.state))).toEqual([['waiting'], ['replied']]);
  });

  it('takes the topmost attribution of the user follow-up as the reply, when dated after the question', () => {
    const follow = sent('2026-03-04T09:00:00Z', [told('alice@x.com')], {
      references: ['q@mail.example.com'],
      attribution: attribution({}),
    });

    expect(states([question, follow])).toEqual([['Lunch next week?', ['alice@x.com:replied']]]);
  });

  it.each([
    ['names someone else', attribution({ address: 'bob@y.com', name: 'Bob' })],
    [
      'names the user (their own earlier message quoted)',
      attribution({ address: 'me@example.com', name: 'Me' }),
    ],
    ['is dated before the question', attribution({ date: new Date('2026-03-01T09:00:00Z') })],
    ['has no date', attribution({ date: null })],
  ])('does not take an attribution that %s as a reply', (_, quoted) => {
    const follow = sent('2026-03-06T09:00:00Z', [asked('alice@x.com')], {
      references: ['q@mail.example.com'],
      attribution: quoted,
    });

    expect(view([question, follow])[0]?.contacts[0]).toMatchObject({ state: 'due', nudges: 1 });
  });

  it('matches an attribution by name when exactly one contact on the thread has it', () => {
    const follow = sent('2026-03-04T09:00:00Z', [told('alice@x.com')], {
      references: ['q@mail.example.com'],
      attribution: attribution({ address: null, name: 'alice  smith' }),
    });

    expect(view([question, follow])[0]?.contacts[0]?.state).toBe('replied');
  });

  it('takes a new Message-ID the user did not send as the reply when one person is awaited', () => {
    const follow = sent('2026-03-06T09:00:00Z', [told('alice@x.com')], {
      inReplyTo: ['their-answer@x.com'],
      references: ['q@mail.example.com', 'their-answer@x.com'],
    });

    expect(view([question, follow])[0]?.contacts[0]?.state).toBe('replied');
  });

  it('does not guess who answered a group thread from a new Message-ID alone', () => {
    const group = sent(
      '2026-03-02T09:00:00Z',
      [asked('alice@x.com'), asked('bob@y.com'), asked('carol@z.com')],
      {
        messageId: 'group@mail.example.com',
      },
    );
    const follow = sent(
      '2026-03-06T09:00:00Z',
      [asked('alice@x.com'), asked('bob@y.com'), asked('carol@z.com')],
      {
        inReplyTo: ['someone@x.com'],
        references: ['group@mail.example.com', 'someone@x.com'],
      },
    );

    expect(view([group, follow])[0]?.contacts.map((c) => c.state)).toEqual(['due', 'due', 'due']);
  });

  it('closes only the one of three who answered a group thread', () => {
    const group = sent(
      '2026-03-02T09:00:00Z',
      [asked('alice@x.com'), asked('bob@y.com'), asked('carol@z.com')],
      {
        messageId: 'group@mail.example.com',
      },
    );
    const bob = received('2026-03-03T09:00:00Z', 'bob@y.com', {
      inReplyTo: ['group@mail.example.com'],
    });

    expect(
      view([group, bob], '2026-03-04T09:00:00Z')[0]?.contacts.map((c) => `${c.address}:${c.state}`),
    ).toEqual(['alice@x.com:waiting', 'bob@y.com:replied', 'carol@z.com:waiting']);
  });

  it('never takes an automated message for a reply; an out-of-office moves the due date', () => {
    const bounce = received('2026-03-02T09:01:00Z', 'mailer-daemon@x.com', {
      kind: 'bounce',
      inReplyTo: ['q@mail.example.com'],
    });
    const ooo = received('2026-03-02T09:02:00Z', 'alice@x.com', {
      kind: 'auto-reply',
      outOfOffice: { returnsOn: '2026-03-13' },
      inReplyTo: ['q@mail.example.com'],
    });

    expect(view([question, bounce, ooo], '2026-03-13T09:00:00Z')[0]?.contacts[0]).toMatchObject({
      state: 'waiting',
      dueOn: '2026-03-16',
      awayUntil: '2026-03-13',
    });
  });

  it('reads an out-of-office dated seconds before the question, in the same minute, as its answer', () => {
    // The question left at 10:00:47; the auto-reply's forward gives 10:00 only
    const asking = sent('2026-11-09T09:00:47Z', [asked('raj@r.com', 'Raj Mehta')], {
      subject: 'Board deck?',
    });
    const ooo = received('2026-11-09T09:00:00Z', 'raj@r.com', {
      subject: 'Automatic reply: Board deck?',
      via: 'forward-inline',
      kind: 'auto-reply',
      outOfOffice: { returnsOn: '2026-11-20' },
    });

    const threads = view([asking, ooo], '2026-11-23T09:00:00Z');
    expect(threads).toHaveLength(1);
    expect(threads[0]?.contacts[0]).toMatchObject({
      state: 'due',
      dueOn: '2026-11-23',
      reason:
        'Assume the best: maybe they missed it. Reach out again. They were away until 20 November.',
    });
  });

  describe('a bounce', () => {
    const raj = (address: string) => asked(address, 'Raj Mehta');
    const toRaj = sent('2026-03-02T09:00:00Z', [raj('raj@old.example')], {
      messageId: 'raj-q@mail.example.com',
      subject: 'Advisory board?',
    });
    const bounce = received('2026-03-02T09:01:00Z', 'mailer-daemon@googlemail.com', {
      kind: 'bounce',
      subject: 'Delivery Status Notification (Failure)',
      contacts: [{ address: 'raj@old.example', name: '', role: 'to', awaited: false }],
    });

    it('is news: never nudged or let go, however often the user writes to that address', () => {
      const again = ['2026-03-09T09:00:00Z', '2026-03-17T09:00:00Z'].map((at) =>
        sent(at, [raj('raj@old.example')], {
          subject: 'Re: Advisory board?',
          references: ['raj-q@mail.example.com'],
        }),
      );

      const threads = view([toRaj, bounce, ...again], '2026-05-01T09:00:00Z');
      expect(threads).toHaveLength(1);
      expect(threads[0]?.contacts[0]).toMatchObject({
        address: 'raj@old.example',
        state: 'bounced',
        nudges: 0,
        reason: "Your mail didn't arrive (the address bounced). Find a new way to reach them.",
      });
    });

    it('is left out once the same person is written to at a new address', () => {
      const fresh = sent('2026-03-04T09:00:00Z', [raj('raj@new.example')], {
        subject: 'Advisory board (new address)?',
      });

      const contacts = view([toRaj, bounce, fresh], '2026-03-05T09:00:00Z').flatMap((t) =>
        t.contacts.map((c) => `${c.address}:${c.state}`),
      );
      expect(contacts).toEqual(['raj@new.example:waiting', 'raj@old.example:idle']);
    });
  });

  it('counts the same reply arriving Cc-ed and forwarded as one event', () => {
    const cc = received('2026-03-03T10:00:00Z', 'alice@x.com', {
      inReplyTo: ['q@mail.example.com'],
    });
    const forwarded = received('2026-03-03T10:00:00Z', 'alice@x.com', { via: 'forward-inline' });

    const [thread] = view([question, cc, forwarded]);
    expect(thread?.contacts[0]?.history.filter((h) => h.what.startsWith('replied'))).toHaveLength(
      1,
    );
  });

  it('closes as answered elsewhere when the user writes after it was due and asks nothing', () => {
    const thanks = sent('2026-03-06T09:00:00Z', [told('alice@x.com', 'to', 'Alice Smith')], {
      subject: 'Re: Lunch next week?',
      references: ['q@mail.example.com'],
    });

    const alice = view([question, thanks], '2026-03-20T09:00:00Z')[0]?.contacts[0];
    expect(alice).toMatchObject({ state: 'replied', nudges: 0 });
    expect(alice?.history.at(-1)?.what).toMatch(/^answered elsewhere/);
  });

  it('shows no one for a thread where no reply was ever awaited', () => {
    expect(view([sent('2026-03-02T09:00:00Z', [told('dana@d.com')])])[0]?.contacts).toEqual([]);
  });
});
