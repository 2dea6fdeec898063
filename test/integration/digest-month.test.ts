import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

/** What happens in the month: mail as it is sent, at the moment it reaches givefirst. */
type Event = { at: string; from: string; raw: string };

const ask = (from: string, to: string, subject: string, date: string, id: string): Event => ({
  at: date,
  from,
  raw: aRawMessage({
    from,
    to,
    subject,
    date: new Date(date).toUTCString(),
    messageId: `<${id}>`,
    body: `${subject}: does Thursday work?`,
  }),
});
const ccReply = (
  from: string,
  to: string,
  subject: string,
  date: string,
  answers: string,
): Event => ({
  at: date,
  from,
  raw: aRawMessage({
    from,
    to,
    cc: log,
    subject: `Re: ${subject}`,
    date: new Date(date).toUTCString(),
    inReplyTo: `<${answers}>`,
    references: `<${answers}>`,
    body: 'Yes, sounds good.',
  }),
});

/**
 * A month of replayed mail for two users in different zones, through the SMTP door; the clock moves
 * hour by hour with the scheduler running as the timer would; the digests that reached the SES
 * emulator are checked day by day.
 */
describe('a month of digests', () => {
  let stack: TestStack;
  let now = new Date('2026-03-01T00:00:00Z');
  const clock = () => now;
  let close: () => void;
  const users: Record<string, User> = {};
  const perDay = new Map<string, number>();

  const events: Event[] = [
    // Anna (Berlin) asks Carl on Monday 2nd; he answers on Friday 6th after one digest on Thursday.
    ask('anna@example.de', 'Carl <carl@c.de>', 'Termin', '2026-03-02T09:00:00Z', 'a1@example.de'),
    ccReply('carl@c.de', 'anna@example.de', 'Termin', '2026-03-06T10:00:00Z', 'a1@example.de'),
    // Ben (New York) asks Dee on Tuesday 3rd and never hears back: due Fri 6, nudged Mon 9, due again
    // Mon 16, nudged Tue 17, let go from Tue 24.
    ask('ben@example.com', 'Dee <dee@d.com>', 'Coffee', '2026-03-03T14:00:00Z', 'b1@example.com'),
    ask(
      'ben@example.com',
      'Dee <dee@d.com>',
      'Re: Coffee',
      '2026-03-09T14:00:00Z',
      'b2@example.com',
    ),
    ask(
      'ben@example.com',
      'Dee <dee@d.com>',
      'Re: Coffee',
      '2026-03-17T14:00:00Z',
      'b3@example.com',
    ),
  ];

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    const register = makeRegisterUser({
      users: stack.services.store,
      clock,
      digests: stack.services.store,
    });
    for (const [email, timeZone] of [
      ['anna@example.de', 'Europe/Berlin'],
      ['ben@example.com', 'America/New_York'],
    ] as const) {
      const added = await register({ email, timeZone });
      if (!added.ok) throw new Error(added.problems.join('; '));
      users[email] = added.user;
    }
    const runner = await startDigestRunner(stack, clock);
    close = runner.close;
    let seen = 0;
    const pending = [...events].sort((a, b) => a.at.localeCompare(b.at));
    for (let hour = 0; hour < 31 * 24; hour++) {
      now = new Date(Date.parse('2026-03-01T00:00:00Z') + hour * 3_600_000);
      while (pending[0] && Date.parse(pending[0].at) <= now.getTime()) {
        const e = pending.shift() as Event;
        await stack.sendRaw({ from: e.from, to: [log] }, e.raw);
      }
      await runner.runScheduler();
      const emails = await runner.sent();
      for (const email of emails.slice(seen)) {
        const key = `${now.toISOString().slice(0, 10)} ${email.destination.to[0]}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
      seen = emails.length;
    }
  }, 120_000);

  afterAll(async () => {
    close?.();
    await stack?.stop();
  });

  const daysOf = (email: string) =>
    [...perDay]
      .filter(([k]) => k.endsWith(email))
      .map(([k, n]) => `${k.slice(0, 10)}${n > 1 ? ` ×${n}` : ''}`);

  it('sends Anna a digest each morning Carl is due, and none once he answered', () => {
    // Due Thursday 5; his reply came on Friday at 11:00, after that morning's digest.
    expect(daysOf('anna@example.de')).toEqual(['2026-03-05', '2026-03-06']);
  });

  it('follows Ben down the ladder in New York time, weekdays only, once a day, then lets go', () => {
    expect(daysOf('ben@example.com')).toEqual([
      // Due Friday 6 (assume the best), and Monday 9 at 08:00, before he nudged at 10:00.
      '2026-03-06',
      '2026-03-09',
      // The nudge window (5 business days from Monday 9) ends Monday 16: one last friendly nudge,
      // again on Tuesday 17 at 08:00, before his second nudge at 10:00.
      '2026-03-16',
      '2026-03-17',
      // That window ends Tuesday 24 and the ladder lets go: nothing more to act on, no email.
    ]);
  });

  it('has let Dee go by then, and Carl replied', async () => {
    const at = new Date('2026-03-25T12:00:00Z');
    const state = async (email: string) =>
      (await stack.services.listThreads(users[email] as User, at)).flatMap((t) =>
        t.contacts.map((c) => `${c.address}:${c.state}`),
      );

    expect(await state('ben@example.com')).toEqual(['dee@d.com:let-go']);
    expect(await state('anna@example.de')).toEqual(['carl@c.de:replied']);
  });
});
