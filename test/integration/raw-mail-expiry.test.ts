import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawMailRetentionDays } from '#domain/retention.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/**
 * Raw mail on the local disk expires as the bucket's lifecycle rule expires it on AWS: days, not
 * months. A logged message's is deleted at once (raw-mail-after-logging.test.ts): what the rule
 * expires is the mail kept for redrive, here mail refused for now.
 */
describe('raw mail expiry on the local stack', () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T09:00:00Z');
  const days = (n: number) => new Date(Date.parse('2026-03-02T09:00:00Z') + n * 86_400_000);
  const rawMailFiles = async () =>
    (
      await readdir(path.join(stack.config.dataDir, 'raw-mail'), { recursive: true }).catch(
        () => [],
      )
    )
      .filter((f) => f.endsWith('.eml'))
      .map((f) => path.dirname(f))
      .sort();
  const log = (subject: string) =>
    stack.sendRaw(
      { from: 'me@example.com', to: [`log@${domain}`] },
      aRawMessage({ to: 'Alice <alice@x.com>', subject }),
    );
  const refused = (subject: string) =>
    stack.sendRaw(
      { from: 'stranger@z.com', to: [`log@${domain}`] },
      aRawMessage({ from: 'Stranger <stranger@z.com>', to: 'Me <me@example.com>', subject }),
    );

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: () => now });
    const added = await stack.services.registerUser({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
    await log('Day 0');
    await refused('Day 0');
    now = days(10);
    await log('Day 10');
    await refused('Day 10');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps every message while it is within its retention', async () => {
    now = days(rawMailRetentionDays);

    expect(await stack.expireRawMail()).toBe(0);

    expect(await rawMailFiles()).toEqual(['inbound/2026-03-02', 'inbound/2026-03-12']);
  });

  it('deletes a day of raw mail once its retention is over, and only that day', async () => {
    now = days(rawMailRetentionDays + 1);

    expect(await stack.expireRawMail()).toBe(1);

    expect(await rawMailFiles()).toEqual(['inbound/2026-03-12']);
  });

  it('deletes the rest when its time comes, and the logged messages stay', async () => {
    now = days(10 + rawMailRetentionDays + 1);

    await stack.expireRawMail();

    expect(await rawMailFiles()).toEqual([]);
    const me = await stack.services.store.findUserByAddress('me@example.com');
    expect(await stack.services.store.listMessages(me?.userId ?? '')).toHaveLength(2);
  });
});
