import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
/** DynamoDB's (and dynalite's) limit for one item. */
const itemLimit = 400 * 1024;

/** A header value folded into lines a mail client would send (RFC 5322: at most 998 characters). */
const folded = (parts: string[], separator = ' ') => parts.join(`${separator}\r\n `);
const ids = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `<${tag}${i}.${'q'.repeat(20)}@mail.example.com>`);

/**
 * Messages built to make a stored item too large for DynamoDB, sent through the real SMTP door
 * into dynalite (which enforces the 400 KB item limit as DynamoDB does). Each one is logged, with
 * what the sender controls capped, or rejected with a reason; none is "kept for redrive" to fail
 * again on every redrive.
 */
describe('poison messages', () => {
  let stack: TestStack;
  let me: User;
  const itemSize = (item: Record<string, unknown> | undefined) =>
    Buffer.byteLength(JSON.stringify(item ?? {}));

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain });
    const added = await stack.services.registerUser({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const send = (fields: Parameters<typeof aRawMessage>[0]) =>
    stack.sendRaw({ from: 'me@example.com', to: [`log@${domain}`] }, aRawMessage(fields));

  it.each([
    ['5,000 References', { references: folded(ids(5_000, 'r')) }],
    ['5,000 In-Reply-To ids', { inReplyTo: folded(ids(5_000, 'i')) }],
    ['a 200 KB subject', { subject: `Hi ${'s'.repeat(200_000)}` }],
    [
      '40 recipients with 20 KB display names',
      {
        to: folded(
          Array.from({ length: 40 }, (_, i) => `"${'N'.repeat(20_000)} ${i}" <p${i}@x.com>`),
          ',',
        ),
      },
    ],
    [
      '5,000 recipients',
      {
        to: folded(
          Array.from({ length: 5_000 }, (_, i) => `person${i}@x.com`),
          ',',
        ),
      },
    ],
    ['a 100 KB From display name', { from: `"${'F'.repeat(100_000)}" <me@example.com>` }],
  ])('logs a message with %s, within the item limit', async (_case, fields) => {
    const messageId = `<poison.${Math.random().toString(36).slice(2)}@mail.example.com>`;

    const reply = await send({ to: 'Alice <alice@x.com>', ...fields, messageId });

    expect(reply).toMatch(/\(logged\)/);
    const item = await stack.storedMessage(me.userId, messageId);
    expect(item).toBeDefined();
    expect(itemSize(item)).toBeLessThan(itemLimit / 4);
  });

  it('rejects a header larger than the parser reads as unreadable, with that reason', async () => {
    const reply = await send({ references: folded(ids(20_000, 'r')), subject: 'Huge header' });

    expect(reply).toMatch(/\(rejected\)/);
    const [rejection] = await stack.services.store.listRejections({ days: 1, limit: 1 });
    expect(rejection?.reason).toBe('unreadable');
  });

  it('logs a message whose Message-ID is 100 KB, and a reply to it finds it', async () => {
    const messageId = `<${'m'.repeat(100_000)}@mail.example.com>`;

    const reply = await send({ messageId, subject: 'Long id' });

    expect(reply).toMatch(/\(logged\)/);
    const item = await stack.storedMessage(me.userId, messageId);
    expect(itemSize(item)).toBeLessThan(itemLimit / 4);
    const answer = await send({
      subject: 'Re: Long id',
      // Later than the question: two messages of the same second are ordered by their (random) keys.
      date: 'Mon, 2 Mar 2026 11:15:00 +0100',
      inReplyTo: messageId,
      references: messageId,
    });
    expect(answer).toMatch(/\(logged\)/);
    const threads = await stack.services.listThreads(me);
    expect(threads.filter((t) => t.subject.startsWith('Long id'))).toHaveLength(1);
  });

  it('keeps the listing of what it rejected within the limit too', async () => {
    const reply = await stack.sendRaw(
      { from: 'x@y.com', to: [`log@${domain}`] },
      aRawMessage({
        from: `"${'X'.repeat(100_000)}" <${'x'.repeat(60)}@y.com>`,
        subject: 'y'.repeat(300_000),
      }),
    );

    expect(reply).toMatch(/\(rejected\)/);
    const rejections = await stack.services.store.listRejections({ days: 1, limit: 10 });
    expect(Buffer.byteLength(JSON.stringify(rejections))).toBeLessThan(itemLimit / 4);
  });

  it('rejects mail from a 300 KB address with a reason, and keeps that record small', async () => {
    const sender = `${'x'.repeat(300_000)}@y.com`;

    const reply = await stack.sendRaw(
      { from: 'x@y.com', to: [`log@${domain}`] },
      aRawMessage({ from: `<${sender}>`, subject: 'From nowhere' }),
    );

    expect(reply).toMatch(/\(rejected\)/);
    const rejections = await stack.services.store.listRejections({ days: 1, limit: 10 });
    expect(Buffer.byteLength(JSON.stringify(rejections))).toBeLessThan(itemLimit / 4);
  });
});
