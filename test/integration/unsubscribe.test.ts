import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import { localReplyTokens } from '#local/token-keys.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/** One-click unsubscribe (RFC 8058) on the local stack's web listener. */
describe('unsubscribing from digests', () => {
  let stack: TestStack;
  let me: User;
  let link: string;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: 'fixed:2026-03-06T07:00:00Z' });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    await stack.sendRaw(
      { from: 'me@example.com', to: [`log@${domain}`] },
      aRawMessage({
        to: 'Alice <alice@x.com>',
        subject: 'Lunch?',
        date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      }),
    );
    const sender = await startDigestRunner(stack, stack.clock);
    await sender.sendDigest(me);
    sender.close();
    const emails = await sender.sent();
    const header = emails[0]?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    link = /<(http[^>]+)>/.exec(header)?.[1] ?? '';
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const scheduled = async () =>
    stack.services.store.usersDueInSlot(slotOf(new Date('2026-03-09T07:00:00Z')));

  it('shows a page with a button on a plain GET, and changes nothing', async () => {
    expect(link.startsWith(`${stack.publicUrl}/unsubscribe?t=`)).toBe(true);

    const page = await fetch(link);

    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post"[^>]*><button/);
    expect(await scheduled()).toEqual([me.userId]);
  });

  it('refuses a forged or expired token and changes nothing', async () => {
    const token = new URL(link).searchParams.get('t') ?? '';
    const forged = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    const tokens = await localReplyTokens(stack.config.dataDir);
    const expired = tokens.issue({
      kind: 'unsubscribe',
      userId: me.userId,
      ref: '2026-03-06',
      expiresAt: new Date('2026-03-05T00:00:00Z'),
    });
    const digestToken = tokens.issue({
      kind: 'digest',
      userId: me.userId,
      ref: '2026-03-06',
      expiresAt: new Date('2026-04-05T00:00:00Z'),
    });

    for (const bad of [forged, expired, digestToken, '']) {
      const answer = await fetch(`${stack.publicUrl}/unsubscribe?t=${bad}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
      });
      expect(answer.status).toBe(400);
    }
    expect(await scheduled()).toEqual([me.userId]);
  });

  it('stops the digests at once on the one-click POST', async () => {
    const answer = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    expect(answer.status).toBe(200);
    expect(await scheduled()).toEqual([]);
  });
});
