import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeDigest } from '#domain/digest.ts';
import { slotOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import { localReplyTokens } from '#local/token-keys.ts';
import { aDigestReply, type ReplyClient } from '../builders/digest-reply.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;
const people = ['Alice', 'Bob', 'Carol', 'Dan', 'Erin'];

/**
 * Replies to a real digest, written as Gmail, Outlook, Apple Mail and an iPhone quote them, through
 * the SMTP door; each checks what changed (threads, the next digest, the schedule) and the one
 * answer that reached the SES emulator. Mail to five people, asked on Monday 23 November, is due;
 * the digest goes out on Thursday 3 December at 08:00 in Berlin.
 */
describe('reply commands', () => {
  let stack: TestStack;
  let me: User;
  let now = new Date('2026-11-23T07:00:00Z');
  const clock = () => now;
  let runner: Awaited<ReturnType<typeof startDigestRunner>>;
  let digestText = '';
  let replyTo = '';
  let mail = 0;

  /** Each test in its own hour, so the hourly allowance of answers is the test's own. */
  const nextHour = () => {
    now = new Date(now.getTime() + 3_600_000);
  };
  const sent = (): Promise<SentEmail[]> => runner.sent();
  const reply = async (client: ReplyClient, typed: string, extra: { from?: string } = {}) => {
    mail += 1;
    return stack.sendRaw(
      { from: 'me@example.com', to: [replyTo] },
      aDigestReply({
        client,
        typed,
        digestText,
        replyTo,
        messageId: `<reply-${mail}@mail.example.com>`,
        ...extra,
      }),
    );
  };
  /** The answer a reply got: the emails sent since `before`, which must be exactly one. */
  const answerSince = async (before: number) => {
    const emails = (await sent()).slice(before);
    expect(emails).toHaveLength(1);
    return emails[0] as SentEmail;
  };
  const stateOf = async (name: string, at = now) =>
    (await stack.services.listThreads(me, at))
      .flatMap((t) => t.contacts)
      .find((c) => c.name === name)?.state;
  const digestAt = async (at: Date) =>
    composeDigest({
      user: (await stack.services.store.getUser(me.userId)) as User,
      relationships: await stack.services.relationships(me, at),
      now: at,
    });
  const rejections = async () =>
    (await stack.services.store.listRejections({ days: 60, limit: 100 })).map((r) => r.reason);

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    for (const email of ['me@example.com', 'other@example.com']) {
      const added = await stack.services.registerUser({ email, timeZone: 'Europe/Berlin' });
      if (!added.ok) throw new Error(added.problems.join('; '));
      if (email === 'me@example.com') me = added.user;
    }
    for (const [i, name] of people.entries()) {
      await stack.sendRaw(
        { from: 'me@example.com', to: [log] },
        aRawMessage({
          to: `${name} <${name.toLowerCase()}@x.com>`,
          subject: `Question for ${name}`,
          date: `Mon, 23 Nov 2026 ${9 + i}:00:00 +0100`,
          body: 'Could you look at this?',
        }),
      );
    }
    runner = await startDigestRunner(stack, clock);
    now = new Date('2026-12-03T07:00:00Z');
    const outcome = await runner.sendDigest(me);
    if (outcome.status !== 'sent') throw new Error(`no digest: ${outcome.status}`);
    const [digest] = await sent();
    digestText = digest?.body.text ?? '';
    replyTo = digest?.replyTo[0] ?? '';
  }, 60_000);

  afterAll(async () => {
    runner?.close();
    await stack?.stop();
  });

  it('numbers the five people in the digest it replies to', () => {
    expect(digestText).toMatch(
      /1\. Alice[\s\S]*2\. Bob[\s\S]*3\. Carol[\s\S]*4\. Dan[\s\S]*5\. Erin/,
    );
  });

  it('Gmail: snoozes item 2 until Monday and marks item 3 done, and says so in one answer', async () => {
    // Prepare
    nextHour();
    const before = (await sent()).length;

    // Act
    const response = await reply('gmail', 'Snooze 2 until Monday\ndone 3');

    // Assess
    expect(response).toContain('(steered)');
    const answer = await answerSince(before);
    expect(answer.destination.to).toEqual(['me@example.com']);
    expect(answer.body.text).toContain('Snoozed Bob (Question for Bob) until Mon 7 Dec.');
    expect(answer.body.text).toContain('Marked Carol (Question for Carol) as done.');
    expect(answer.body.text).not.toContain('Not understood');
    const headers = Object.fromEntries((answer.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['Auto-Submitted']).toBe('auto-generated');
    const answerToken = (answer.replyTo[0] ?? '').replace(/^reply\+|@.*$/g, '');
    const tokens = await localReplyTokens(stack.config.dataDir);
    expect(tokens.read(answerToken, now)).toMatchObject({
      ok: true,
      claims: { kind: 'confirmation', userId: me.userId, ref: '2026-12-03' },
    });
    expect(await stateOf('Carol')).toBe('replied');
    const friday = await digestAt(new Date('2026-12-04T07:00:00Z'));
    expect(friday?.items.map((i) => i.name)).toEqual(['Alice', 'Dan', 'Erin']);
    const monday = await digestAt(new Date('2026-12-07T07:00:00Z'));
    expect(monday?.items.map((i) => i.name)).toContain('Bob');
  });

  it('Outlook: drop 4 stops tracking Dan, and no footer announces it', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply('outlook', 'drop 4');

    const answer = await answerSince(before);
    expect(answer.body.text).toContain('Stopped tracking Dan (Question for Dan).');
    expect(await stateOf('Dan')).toBe('let-go');
    const at = new Date('2026-12-04T07:00:00Z');
    const relationships = await stack.services.relationships(me, at);
    const friday = composeDigest({
      user: me,
      relationships,
      now: at,
      letGoAlreadyShown: new Set(relationships.quietlyLetGo),
    });
    expect(friday?.items.map((i) => i.name)).not.toContain('Dan');
    expect(friday?.letGo.people).toEqual([]);
  });

  it('Apple Mail: a number past the end, a date in the past, a typo and German prose change nothing and are each named', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply(
      'apple-mail',
      'snooze 99\nsnooze 1 until yesterday\nVielen Dank für alles!\nsnoze 1',
    );

    const text = (await answerSince(before)).body.text ?? '';
    expect(text).toContain('“snooze 99”: there is no item 99: that digest had 5 items');
    expect(text).toContain('“snooze 1 until yesterday”: 2 Dec 2026 is not after today');
    expect(text).toContain('“Vielen Dank für alles!”: not a command');
    expect(text).toContain('“snoze 1”: not a command; did you mean “snooze”?');
    expect(await stateOf('Alice')).toBe('due');
    expect((await digestAt(new Date('2026-12-04T07:00:00Z')))?.items[0]?.name).toBe('Alice');
  });

  it('iPhone: at 7:30 moves the schedule index at once, and settings shows it', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply('iphone', 'at 7:30\nsettings');

    const text = (await answerSince(before)).body.text ?? '';
    expect(text).toContain('Digests at 07:30.');
    expect(text).toContain('Your next digest: Fri 4 Dec at 07:30.');
    expect(text).toContain('digests: on, on weekdays at 07:30 (Europe/Berlin)');
    expect((await stack.services.store.getUser(me.userId))?.digestAt).toBe('07:30');
    // 07:30 in Berlin is 06:30 UTC.
    expect(
      await stack.services.store.usersDueInSlot(slotOf(new Date('2026-12-04T06:30:00Z'))),
    ).toEqual([me.userId]);
  });

  it('an HTML-only reply (Gmail) is read too: done alice', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply('gmail-html', 'done alice');

    expect((await answerSince(before)).body.text).toContain(
      'Marked Alice (Question for Alice) as done.',
    );
    expect(await stateOf('Alice')).toBe('replied');
  });

  it('revive, cadence, never and more in one reply, each with its line', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply('gmail', 'revive dan\ncadence alice 30d\nnever @spam.example\nmore');

    const text = (await answerSince(before)).body.text ?? '';
    expect(text).toContain('Revived Dan: they are back in your digest.');
    expect(text).toContain('Keeping in touch with Alice every 30 days.');
    expect(text).toContain('@spam.example will never be logged or suggested.');
    expect(text).toContain('Nothing more: the digest showed everything open.');
    expect(await stateOf('Dan')).toBe('due');
    const ledger = (await stack.services.relationships(me, now)).ledger;
    expect(ledger.find((c) => c.address === 'alice@x.com')?.cadenceDays).toBe(30);
    expect((await stack.services.store.getUser(me.userId))?.neverLog).toEqual(['@spam.example']);
  });

  it('weekly, then pause 2w: the schedule index moves each time', async () => {
    nextHour();
    const mondayAt0730 = slotOf(new Date('2026-12-07T06:30:00Z'));
    const fridayAt0730 = slotOf(new Date('2026-12-04T06:30:00Z'));

    await reply('gmail', 'weekly');
    const weekly = [
      await stack.services.store.usersDueInSlot(fridayAt0730),
      await stack.services.store.usersDueInSlot(mondayAt0730),
    ];
    await reply('outlook', 'pause 2w');
    const paused = await stack.services.store.usersDueInSlot(mondayAt0730);

    expect(weekly).toEqual([[], [me.userId]]);
    expect(paused).toEqual([]);
    // Paused until Thursday 17 December: the first Monday after it.
    expect(
      await stack.services.store.usersDueInSlot(slotOf(new Date('2026-12-21T06:30:00Z'))),
    ).toEqual([me.userId]);
    expect((await sent()).at(-1)?.body.text).toContain('Digests paused until Thu 17 Dec.');
    await reply('gmail', 'resume\nweekdays');
    expect(await stack.services.store.usersDueInSlot(fridayAt0730)).toEqual([me.userId]);
  });

  it('a log address with a tag givefirst does not know gets one note naming it, and the message is logged', async () => {
    nextHour();
    const before = (await sent()).length;
    const logTo = async (id: string) =>
      stack.sendRaw(
        { from: 'me@example.com', to: [`log+3dd@${domain}`] },
        aRawMessage({
          to: 'Fay <fay@f.example>',
          subject: `Plans ${id}`,
          messageId: `<${id}@m.example.com>`,
        }),
      );

    const first = await logTo('tag1');
    await logTo('tag2');

    expect(first).toContain('(logged)');
    const text = (await answerSince(before)).body.text ?? '';
    expect(text).toContain('did not understand the tag “3dd”');
    expect(text).toContain('fyi, ask, promise, gave, thanks');
  });

  it('a number in a reply to that note refers to no digest, not to the one sent that day', async () => {
    nextHour();
    const note = (await sent()).findLast((e) => e.subject?.includes('did not understand'));
    const noteReplyTo = note?.replyTo[0] ?? '';
    const erinBefore = await stateOf('Erin');
    const before = (await sent()).length;

    const response = await stack.sendRaw(
      { from: 'me@example.com', to: [noteReplyTo] },
      aDigestReply({
        client: 'gmail',
        typed: 'done 5',
        digestText: note?.body.text ?? '',
        replyTo: noteReplyTo,
        messageId: '<to-the-note@mail.example.com>',
      }),
    );

    expect(noteReplyTo).toMatch(/^reply\+/);
    expect(response).toContain('(steered)');
    expect((await answerSince(before)).body.text).toContain(
      'numbers refer to a digest, and this reply is not to one with items',
    );
    expect(await stateOf('Erin')).toBe(erinBefore);
  });

  it('the same reply delivered twice is applied and answered once', async () => {
    nextHour();
    const before = (await sent()).length;
    const raw = aDigestReply({
      client: 'gmail',
      typed: 'snooze erin 2w',
      digestText,
      replyTo,
      messageId: '<twice@mail.example.com>',
    });

    const first = await stack.sendRaw({ from: 'me@example.com', to: [replyTo] }, raw);
    const second = await stack.sendRaw({ from: 'me@example.com', to: [replyTo] }, raw);

    expect(first).toContain('(steered)');
    expect(second).toContain('(duplicate)');
    expect((await answerSince(before)).body.text).toContain(
      'Snoozed Erin (Question for Erin) until Thu 17 Dec.',
    );
  });

  it('unsubscribe as the subject stops digests at once and is confirmed once; resume undoes it', async () => {
    nextHour();
    const before = (await sent()).length;
    const unsubscribe = (id: string) =>
      stack.sendRaw(
        { from: 'me@example.com', to: [replyTo] },
        aRawMessage({
          to: replyTo,
          subject: 'unsubscribe',
          body: '',
          messageId: `<${id}@m.example.com>`,
        }),
      );
    const slot = slotOf(new Date('2026-12-04T06:30:00Z'));

    await unsubscribe('u1');
    const stopped = await stack.services.store.usersDueInSlot(slot);
    await unsubscribe('u2');

    expect(stopped).toEqual([]);
    expect((await answerSince(before)).body.text).toContain('You are unsubscribed');
    await reply('gmail', 'resume');
    expect(await stack.services.store.usersDueInSlot(slot)).toEqual([me.userId]);
    expect((await sent()).at(-1)?.body.text).toContain('Digests are on again.');
  });

  it('a 200-line reply is read only so far and still answered', async () => {
    nextHour();
    const before = (await sent()).length;
    const typed = Array.from({ length: 200 }, (_, i) => `line ${i} of a very long reply`).join(
      '\n',
    );

    await reply('gmail', typed);

    expect((await answerSince(before)).body.text).toMatch(/and \d+ more lines not read/);
  });

  it('answers at most five command mails an hour', async () => {
    nextHour();
    const before = (await sent()).length;

    for (let i = 0; i < 7; i++) await reply('gmail', 'help');

    expect((await sent()).length - before).toBe(5);
  });

  describe('safety: nothing changes, a rejection is recorded, nothing is answered', () => {
    it('another user sending to my reply address', async () => {
      nextHour();
      const before = (await sent()).length;

      const response = await reply('gmail', 'done 5', { from: 'other@example.com' });

      expect(response).toContain('(rejected)');
      expect(await rejections()).toContain('not-the-token-user');
      expect((await sent()).length).toBe(before);
    });

    it('a forged or malformed token, and a token of the wrong kind', async () => {
      nextHour();
      const before = (await sent()).length;
      const erin = await stateOf('Erin');
      const tokens = await localReplyTokens(stack.config.dataDir);
      const unsubscribeToken = tokens.issue({
        kind: 'unsubscribe',
        userId: me.userId,
        ref: '2026-12-03',
        expiresAt: new Date('2027-01-01T00:00:00Z'),
      });

      for (const token of ['a'.repeat(52), 'nonsense', unsubscribeToken]) {
        const address = `reply+${token}@${domain}`;
        const response = await stack.sendRaw(
          { from: 'me@example.com', to: [address] },
          aRawMessage({ to: address, subject: 'Re: digest', body: 'done 5' }),
        );
        expect(response).toContain('(rejected)');
      }

      expect((await rejections()).filter((r) => r === 'bad-reply-token')).toHaveLength(3);
      expect((await sent()).length).toBe(before);
      expect(await stateOf('Erin')).toBe(erin);
    });

    it('an auto-reply, and mail from givefirst itself', async () => {
      nextHour();
      const before = (await sent()).length;

      await stack.sendRaw(
        { from: 'me@example.com', to: [replyTo] },
        aRawMessage({
          to: replyTo,
          subject: 'Out of office',
          body: 'I am away until Monday.',
          extraHeaders: ['Auto-Submitted: auto-replied'],
        }),
      );
      await reply('gmail', 'done 5', { from: `givefirst <digest@${domain}>` });

      expect(await rejections()).toEqual(expect.arrayContaining(['auto-reply', 'from-givefirst']));
      expect((await sent()).length).toBe(before);
    });
  });

  it('more lists what is open beyond the digest replied to', async () => {
    // Prepare
    nextHour();
    for (const name of ['Gus', 'Hal', 'Ida']) {
      await stack.sendRaw(
        { from: 'me@example.com', to: [log] },
        aRawMessage({
          to: `${name} <${name.toLowerCase()}@x.com>`,
          subject: `Plans with ${name}`,
          date: 'Tue, 24 Nov 2026 09:00:00 +0100',
          body: 'Are you free next week?',
        }),
      );
    }
    const before = (await sent()).length;

    // Act
    await reply('gmail', 'more');

    // Assess
    const text = (await answerSince(before)).body.text ?? '';
    // Gus, Hal and Ida, and Fay's two threads logged by the unknown-tag test above.
    expect(text).toContain('5 more (by name: “snooze alice 2w”, “done alice”):');
    for (const name of ['Gus', 'Hal', 'Ida'])
      expect(text).toContain(`${name} (Plans with ${name})`);
    expect(text).not.toContain('Alice');
  });

  it('an expired token gets one "too old" answer and changes nothing', async () => {
    nextHour();
    const before = (await sent()).length;
    const erin = await stateOf('Erin');
    const tokens = await localReplyTokens(stack.config.dataDir);
    const old = `reply+${tokens.issue({
      kind: 'digest',
      userId: me.userId,
      ref: '2026-10-01',
      expiresAt: new Date('2026-11-15T00:00:00Z'),
    })}@${domain}`;
    const raw = aRawMessage({
      to: old,
      subject: 'Re: digest',
      body: 'done 5',
      messageId: '<old@m.example.com>',
    });

    await stack.sendRaw({ from: 'me@example.com', to: [old] }, raw);
    await stack.sendRaw({ from: 'me@example.com', to: [old] }, raw);

    expect((await answerSince(before)).body.text).toContain(
      'This digest is too old to act on; reply to a newer one.',
    );
    expect(await rejections()).toContain('expired-reply-token');
    expect(await stateOf('Erin')).toBe(erin);
  });
});
