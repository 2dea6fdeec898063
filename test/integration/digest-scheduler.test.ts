import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/**
 * The scheduler over days: two users in different zones, mail logged as it happens, the clock moved
 * slot by slot; what reached the SES emulator is checked day by day.
 */
describe('the digest scheduler', () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T00:00:00Z');
  const clock = () => now;
  let berlin: User;
  let newYork: User;
  let runScheduler: () => Promise<unknown>;
  let close: () => void;
  let sent: () => Promise<SentEmail[]>;
  const sentTo = async (address: string) =>
    (await sent()).filter((e) => e.destination.to.includes(address));
  /** Moves the clock to `iso`, running the scheduler at every slot on the way, as the timer would. */
  async function runUntil(iso: string) {
    const end = Date.parse(iso);
    while (now.getTime() < end) {
      now = new Date(Math.min(end, now.getTime() + 15 * 60_000));
      await runScheduler();
    }
  }

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    const register = makeRegisterUser({
      users: stack.services.store,
      clock,
      digests: stack.services.store,
    });
    const add = async (email: string, timeZone: string) => {
      const added = await register({ email, timeZone });
      if (!added.ok) throw new Error(added.problems.join('; '));
      return added.user;
    };
    berlin = await add('anna@example.de', 'Europe/Berlin');
    newYork = await add('ben@example.com', 'America/New_York');
    const runner = await startDigestRunner(stack, clock);
    close = runner.close;
    runScheduler = runner.runScheduler;
    sent = runner.sent;
    // Both ask someone something on Monday morning, their time.
    await stack.sendRaw(
      { from: 'anna@example.de', to: [`log@${domain}`] },
      aRawMessage({
        from: 'anna@example.de',
        to: 'Carl <carl@c.de>',
        subject: 'Termin?',
        date: 'Mon, 2 Mar 2026 09:00:00 +0100',
        body: 'Passt dir Donnerstag?',
      }),
    );
    await stack.sendRaw(
      { from: 'ben@example.com', to: [`log@${domain}`] },
      aRawMessage({
        from: 'ben@example.com',
        to: 'Dee <dee@d.com>',
        subject: 'Coffee?',
        date: 'Mon, 2 Mar 2026 09:00:00 -0500',
        body: 'Coffee on Thursday?',
      }),
    );
  });
  afterAll(async () => {
    close?.();
    await stack?.stop();
  });

  it('sends nothing while nothing is due', async () => {
    await runUntil('2026-03-05T06:00:00Z');

    expect(await sent()).toEqual([]);
  });

  it('sends each user one digest at 08:00 their time on the day their reply is due', async () => {
    await runUntil('2026-03-05T07:30:00Z');
    expect((await sentTo(berlin.email)).map((e) => e.subject)).toEqual(['1 waiting on a reply']);
    expect(await sentTo(newYork.email)).toEqual([]);

    await runUntil('2026-03-05T13:30:00Z');
    expect((await sentTo(newYork.email)).map((e) => e.subject)).toEqual(['1 waiting on a reply']);
  });

  it('sends the next morning again while it stays due, and never twice a day', async () => {
    await runUntil('2026-03-06T14:00:00Z');

    expect(await sentTo(berlin.email)).toHaveLength(2);
    expect(await sentTo(newYork.email)).toHaveLength(2);
  });

  it('skips the weekend and catches up a missed slot once when the scheduler was down', async () => {
    // Down from Sunday evening to Monday 10:00 Berlin: Anna's 08:00 slot was missed.
    now = new Date('2026-03-08T20:00:00Z');
    await runScheduler();
    expect(await sentTo(berlin.email)).toHaveLength(2);

    now = new Date('2026-03-09T09:00:00Z');
    await runScheduler();
    await runScheduler();

    expect(await sentTo(berlin.email)).toHaveLength(3);
  });

  it('gives one digest when two schedulers run the same slot at once', async () => {
    // Carl was shown on three digests (Thu, Fri, Mon) and is let go; Anna asked Eva on Thursday,
    // due today. Tuesday 08:00 in Berlin, two schedulers (as two overlapping timer runs or Lambda
    // invocations).
    await stack.sendRaw(
      { from: 'anna@example.de', to: [`log@${domain}`] },
      aRawMessage({
        from: 'anna@example.de',
        to: 'Eva <eva@e.de>',
        subject: 'Workshop?',
        date: 'Thu, 5 Mar 2026 09:00:00 +0100',
        messageId: '<eva-question@example.de>',
        body: 'Kommst du zum Workshop?',
      }),
    );
    now = new Date('2026-03-10T07:00:00Z');
    const before = (await sentTo(berlin.email)).length;

    await Promise.all([runScheduler(), runScheduler()]);

    expect(await sentTo(berlin.email)).toHaveLength(before + 1);
    const tuesday = (await sentTo(berlin.email)).at(-1)?.body.text ?? '';
    expect(tuesday).toContain('1. Eva');
    expect(tuesday).toContain("We'll stop reminding you about 1 person: Carl.");
  });

  it('stops when the reply comes', async () => {
    await stack.sendRaw(
      { from: 'carl@c.de', to: [`log@${domain}`] },
      aRawMessage({
        from: 'Carl <carl@c.de>',
        to: 'anna@example.de',
        cc: `log@${domain}`,
        subject: 'Re: Termin?',
        date: 'Mon, 9 Mar 2026 11:00:00 +0100',
        inReplyTo: '<x@y>',
        body: 'Ja, passt.',
      }),
    );
    // Carl's reply answers nothing logged (no In-Reply-To to Anna's message): Anna forwards it instead.
    await stack.sendRaw(
      { from: 'anna@example.de', to: [`log@${domain}`] },
      aRawMessage({
        from: 'anna@example.de',
        to: `log@${domain}`,
        subject: 'Fwd: Re: Termin?',
        date: 'Tue, 10 Mar 2026 11:05:00 +0100',
        body: [
          '',
          '---------- Forwarded message ---------',
          'From: Carl <carl@c.de>',
          'Date: Tue, Mar 10, 2026 at 11:00 AM',
          'Subject: Re: Termin?',
          'To: <anna@example.de>',
          '',
          'Ja, passt.',
        ].join('\n'),
      }),
    );

    await stack.sendRaw(
      { from: 'eva@e.de', to: [`log@${domain}`] },
      aRawMessage({
        from: 'Eva <eva@e.de>',
        to: 'anna@example.de',
        cc: `log@${domain}`,
        subject: 'Re: Workshop?',
        date: 'Tue, 10 Mar 2026 12:00:00 +0100',
        inReplyTo: '<eva-question@example.de>',
        references: '<eva-question@example.de>',
        body: 'Ja, gerne.',
      }),
    );

    await runUntil('2026-03-11T09:00:00Z');

    expect(await sentTo(berlin.email)).toHaveLength(4);
  });
});
