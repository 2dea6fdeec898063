import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { startDigestRunner } from '../support/digest-runner.ts';
import { aComposedMessage, aSigningDomain, aTestDns } from '../support/test-dns.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.example.com';
const exampleKey = aSigningDomain('example.com');
const dns = aTestDns({
  keys: [exampleKey],
  txt: { 'example.com': 'v=spf1 -all', '_dmarc.example.com': 'v=DMARC1; p=reject' },
});

/**
 * Reply commands pass the same sender authentication as logged mail (mailauth on the SMTP door,
 * strict mode): a signed reply from the user steers; a forged one with the user's From changes
 * nothing, is recorded as a rejection and gets no answer.
 */
describe('reply commands and sender authentication', () => {
  let stack: TestStack;
  let me: User;
  let runner: Awaited<ReturnType<typeof startDigestRunner>>;
  let replyTo = '';

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      relaxedAuth: false,
      resolver: dns,
      clock: 'fixed:2026-03-06T07:00:00Z',
    });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    const question = await aComposedMessage(
      {
        from: 'Me <me@example.com>',
        to: 'Alice <alice@x.com>',
        bcc: `log@${domain}`,
        subject: 'Lunch next week?',
        text: 'Are you free on Thursday?',
        date: new Date('2026-03-02T09:00:00Z'),
      },
      exampleKey,
    );
    await stack.sendRaw({ from: 'me@example.com', to: [`log@${domain}`] }, question);
    runner = await startDigestRunner(stack, stack.clock);
    await runner.sendDigest(me);
    replyTo = (await runner.sent())[0]?.replyTo[0] ?? '';
  });
  afterAll(async () => {
    runner?.close();
    await stack?.stop();
  });

  const aReply = (text: string) => ({
    from: 'Me <me@example.com>',
    to: replyTo,
    subject: 'Re: 1 waiting on a reply',
    text,
    date: new Date('2026-03-06T08:00:00Z'),
  });
  const alice = async () =>
    (await stack.services.listThreads(me)).flatMap((t) => t.contacts)[0]?.state;

  it('a forged reply (no DKIM for the From domain) changes nothing and is not answered', async () => {
    // Prepare
    const before = (await runner.sent()).length;

    // Act
    const response = await stack.sendRaw(
      { from: 'me@example.com', to: [replyTo] },
      await aComposedMessage(aReply('done 1')),
    );

    // Assess
    expect(response).toContain('(rejected)');
    const rejections = await stack.services.store.listRejections({ days: 2, limit: 10 });
    expect(rejections.map((r) => r.reason)).toContain('sender-not-authenticated');
    expect(await runner.sent()).toHaveLength(before);
    expect(await alice()).toBe('due');
  });

  it('a signed reply from the user steers and is answered', async () => {
    // Prepare
    const before = (await runner.sent()).length;

    // Act
    const response = await stack.sendRaw(
      { from: 'me@example.com', to: [replyTo] },
      await aComposedMessage(aReply('done 1'), exampleKey),
    );

    // Assess
    expect(response).toContain('(steered)');
    expect((await runner.sent()).slice(before).map((e) => e.body.text)).toEqual([
      expect.stringContaining('Marked Alice (Lunch next week?) as done.'),
    ]);
    expect(await alice()).toBe('replied');
  });
});
