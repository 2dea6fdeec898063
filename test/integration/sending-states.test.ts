import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { keys } from '#adapters/dynamodb/table-design.ts';
import type { User } from '#domain/model.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/**
 * Three users in Berlin with a reply due on Thursday 5 March: one active, one paused until Monday
 * 9 March, one unsubscribed while still in the slot index (as a stop that raced the scheduler
 * would leave them). The scheduler runs slot by slot; what reached the SES emulator is checked.
 */
describe('the scheduler and the sending state', () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T00:00:00Z');
  const clock = () => now;
  const users: Record<'active' | 'paused' | 'unsubscribed', User | undefined> = {
    active: undefined,
    paused: undefined,
    unsubscribed: undefined,
  };
  let runScheduler: () => Promise<unknown>;
  let close: () => void;
  let sent: () => Promise<SentEmail[]>;
  const sentTo = async (user: User | undefined) =>
    (await sent()).filter((e) => user && e.destination.to.includes(user.email));
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
    for (const name of ['active', 'paused', 'unsubscribed'] as const) {
      const email = `${name}@example.de`;
      const added = await register({ email, timeZone: 'Europe/Berlin' });
      if (!added.ok) throw new Error(added.problems.join('; '));
      users[name] = added.user;
      await stack.sendRaw(
        { from: email, to: [`log@${domain}`] },
        aRawMessage({
          from: email,
          to: 'Carl <carl@c.de>',
          subject: 'Termin?',
          date: 'Mon, 2 Mar 2026 09:00:00 +0100',
          body: 'Passt dir Donnerstag?',
        }),
      );
    }
    const { steering } = stack.services;
    await steering.updateSettings(users.paused?.userId ?? '', { pausedUntil: '2026-03-09' });
    await steering.updateSettings(users.unsubscribed?.userId ?? '', {
      pausedAt: '2026-03-02T10:00:00.000Z',
    });
    const runner = await startDigestRunner(stack, clock);
    close = runner.close;
    runScheduler = runner.runScheduler;
    sent = runner.sent;
  });
  afterAll(async () => {
    close?.();
    await stack?.stop();
  });

  it('sends the active user their digest and neither the paused nor the unsubscribed one', async () => {
    await runUntil('2026-03-06T12:00:00Z');

    expect(await sentTo(users.active)).toHaveLength(2);
    expect(await sentTo(users.paused)).toEqual([]);
    expect(await sentTo(users.unsubscribed)).toEqual([]);
  });

  it('does not schedule the unsubscribed user again, and schedules the paused one on the day the pause ends', async () => {
    const raw = async (user: User | undefined) => {
      const client = makeDocumentClient({ region: 'local', endpoint: stack.dynamo.endpoint });
      const got = await client.send(
        new GetCommand({ TableName: stack.config.tableName, Key: keys.user(user?.userId ?? '') }),
      );
      client.destroy();
      return got.Item ?? {};
    };
    expect((await raw(users.unsubscribed)).nextDigestDate).not.toBe('2026-03-09');
    expect((await raw(users.unsubscribed)).nextDigestAt).toBe('2026-03-02T07:00:00.000Z');
    expect((await raw(users.paused)).nextDigestDate).toBe('2026-03-09');
  });

  it('sends the paused user a digest on the morning the pause ends', async () => {
    await runUntil('2026-03-09T12:00:00Z');

    expect(await sentTo(users.paused)).toHaveLength(1);
    expect(await sentTo(users.unsubscribed)).toEqual([]);
  });
});
