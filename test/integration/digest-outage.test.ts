import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/**
 * Outages of the scheduler (a stack switched off, a schedule disabled) of 2 hours, 30 hours and
 * 10 days over the user's 08:00 slot: afterwards the user gets one digest at the next due slot
 * (today's, late, when today's hour has passed), never a backlog, and every day after as before.
 * A promise keeps something in every digest, so each weekday has one to send.
 */
describe('digests after a scheduler outage', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T05:00:00Z');
  const clock = () => now;
  let me: User;
  let runScheduler: () => Promise<unknown>;
  let close: () => void;
  let sent: () => Promise<SentEmail[]>;
  const digests = async () =>
    (await sent()).filter((e) => e.destination.to.includes('me@example.com')).length;
  /** The state of my digest for a local day in Berlin, or null when none was begun. */
  const digestOn = async (localDate: string) =>
    (await stack.services.store.getDigest(me.userId, localDate))?.state ?? null;
  /** Moves the clock to `iso`, running the scheduler at every slot on the way, as the timer would. */
  async function runUntil(iso: string) {
    const end = Date.parse(iso);
    while (now.getTime() < end) {
      now = new Date(Math.min(end, now.getTime() + 15 * 60_000));
      await runScheduler();
    }
  }
  /** The scheduler is down until `iso`: time passes and nothing runs; then it runs once. */
  async function downUntil(iso: string) {
    now = new Date(iso);
    await runScheduler();
  }

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    const runner = await startDigestRunner(stack, clock);
    ({ runScheduler, sent, close } = runner);
    await stack.sendRaw(
      { from: 'me@example.com', to: [`log+promise@${domain}`] },
      aRawMessage({
        to: 'Dana <dana@d.com>',
        subject: 'The intro',
        date: 'Mon, 2 Mar 2026 06:00:00 +0100',
        body: 'I will introduce you to the Acme team.',
      }),
    );
    await runUntil('2026-03-02T07:30:00Z');
  });
  afterAll(async () => {
    close?.();
    await stack?.stop();
  });

  it('sends the first digest at 08:00 Berlin', async () => {
    expect(await digestOn('2026-03-02')).toBe('sent');
    expect(await digests()).toBe(1);
  });

  it('after 2 hours down over the slot: today’s digest, late, once', async () => {
    await runUntil('2026-03-03T06:30:00Z');

    await downUntil('2026-03-03T08:30:00Z');
    await runScheduler();

    expect(await digestOn('2026-03-03')).toBe('sent');
    expect(await digests()).toBe(2);
    await runUntil('2026-03-04T06:00:00Z');
    expect(await digests()).toBe(2);
  });

  it('after 30 hours down over two slots: one digest, the day still under way, then daily', async () => {
    // Down from Wednesday 07:00 to Thursday 13:00 Berlin: Wednesday's and Thursday's slots pass.
    await downUntil('2026-03-05T12:00:00Z');

    expect(await digestOn('2026-03-04')).toBe(null);
    expect(await digestOn('2026-03-05')).toBe('sent');
    expect(await digests()).toBe(3);
    await runUntil('2026-03-06T07:30:00Z');
    expect(await digestOn('2026-03-06')).toBe('sent');
    expect(await digests()).toBe(4);
  });

  it('after 10 days down: nothing for the days it missed, then one digest and daily again', async () => {
    // Down from Friday 08:30 to Monday 08:30 Berlin ten days later, past Monday's slot.
    await downUntil('2026-03-16T07:30:00Z');

    for (const day of ['09', '10', '11', '12', '13'])
      expect(await digestOn(`2026-03-${day}`)).toBe(null);
    expect(await digestOn('2026-03-16')).toBe('sent');
    expect(await digests()).toBe(5);
    await runUntil('2026-03-17T07:30:00Z');
    expect(await digestOn('2026-03-17')).toBe('sent');
    expect(await digests()).toBe(6);
  });
});

/** A table whose scheduler never ran: users registered from the command line with no stack up. */
describe('the first scheduler run on a table', () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T10:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('repairs a user whose slot passed before any run, and schedules their next digest', async () => {
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    const runner = await startDigestRunner(stack, clock);
    // Registered on Monday (slot: Tuesday 08:00 Berlin); the stack first starts on Thursday at noon.
    now = new Date('2026-03-05T11:00:00Z');

    await runner.runScheduler();

    expect(await stack.services.store.usersDueInSlot('2026-03-06T07:00Z')).toEqual([
      added.user.userId,
    ]);
    runner.close();
  });
});
