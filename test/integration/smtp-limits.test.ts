import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRawMessage } from '../builders/raw-mail.ts';
import { openRawSmtp, type RawSmtp } from '../support/raw-smtp.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const maxMessageBytes = 64 * 1024;
const maxConnections = 5;
const maxRecipients = 20;

/**
 * The SMTP front door under senders that never stop, never finish or never go away: each bound
 * answers with a reply code, nothing of a refused message stays on disk, and the next sender is
 * served as if nothing happened.
 */
describe('bounded SMTP sessions', () => {
  let stack: TestStack;
  let now = new Date('2026-03-02T09:00:00Z');
  const rawMailFiles = async () =>
    (
      await readdir(path.join(stack.config.dataDir, 'raw-mail'), { recursive: true }).catch(
        () => [],
      )
    ).filter((f) => f.endsWith('.eml') || f.endsWith('.partial'));
  /** A session up to the DATA prompt, with the envelope of a registered user logging mail. */
  async function atData(): Promise<RawSmtp> {
    const smtp = await openRawSmtp(stack.smtp.port);
    expect(await smtp.command('EHLO client.example.com')).toMatch(/^250/);
    expect(await smtp.command('MAIL FROM:<me@example.com>')).toMatch(/^250/);
    expect(await smtp.command(`RCPT TO:<log@${domain}>`)).toMatch(/^250/);
    expect(await smtp.command('DATA')).toMatch(/^354/);
    return smtp;
  }
  async function stillServes() {
    const before = await rawMailFiles();
    const reply = await stack.sendRaw(
      { from: 'me@example.com', to: [`log@${domain}`] },
      aRawMessage({ to: 'Alice <alice@x.com>', subject: 'Still there?' }),
    );
    expect(reply).toMatch(/\(logged\)/);
    // Logged, its raw mail is deleted: nothing is added to what was there.
    expect((await rawMailFiles()).filter((f) => !before.includes(f))).toEqual([]);
  }

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      clock: () => now,
      smtpLimits: { maxMessageBytes, maxConnections, maxRecipients },
    });
    const added = await stack.services.registerUser({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('cuts off a message over the size limit and keeps nothing of it', async () => {
    const smtp = await atData();
    const head = aRawMessage({ subject: 'Too big' });

    await smtp.write(`${head}${`${'x'.repeat(998)}\r\n`.repeat(200)}.\r\n`);

    expect(await smtp.reply()).toMatch(/^552 /);
    expect(await rawMailFiles()).toEqual([]);
    smtp.end();
    await stillServes();
  });

  it('keeps nothing of a message whose sender went away in the middle of it', async () => {
    const files = await rawMailFiles();
    const smtp = await atData();
    await smtp.write(`${aRawMessage({ subject: 'Half' })}${'y'.repeat(30_000)}\r\n`);

    smtp.reset();
    await smtp.closed;

    await stillServes();
    expect((await rawMailFiles()).filter((f) => !files.includes(f))).toEqual([]);
  });

  it('hangs up on a DATA phase longer than the limit, however slowly it trickles', async () => {
    const files = await rawMailFiles();
    const smtp = await atData();
    await smtp.write(`${aRawMessage({ subject: 'Slow' })}`);

    now = new Date(now.getTime() + 11 * 60_000);
    await smtp.write('still typing\r\n');

    expect(await smtp.reply()).toMatch(/^421 /);
    await smtp.closed;
    expect(await rawMailFiles()).toEqual(files);
    await stillServes();
  });

  it('answers one connection more than the limit with 421', async () => {
    const open = await Promise.all(
      Array.from({ length: maxConnections }, () => openRawSmtp(stack.smtp.port)),
    );

    const extra = await openRawSmtp(stack.smtp.port);

    expect(open.map((s) => s.greeting.slice(0, 3))).toEqual(Array(maxConnections).fill('220'));
    expect(extra.greeting).toMatch(/^421 /);
    for (const smtp of open) smtp.end();
    await Promise.all(open.map((s) => s.closed));
    await stillServes();
  });

  it.each([1_000, 15_000])(
    'answers recipients past the limit with 452 and logs the message (%i recipients)',
    async (count) => {
      const smtp = await openRawSmtp(stack.smtp.port);
      await smtp.command('EHLO client.example.com');
      await smtp.command('MAIL FROM:<me@example.com>');
      // Pipelined, as a bulk sender does: every RCPT at once, then the replies.
      await smtp.write(
        Array.from({ length: count }, (_, i) => `RCPT TO:<log+r${i}@${domain}>\r\n`).join(''),
      );
      const replies: string[] = [];
      for (let i = 0; i < count; i++) replies.push((await smtp.reply()).slice(0, 3));

      expect(replies.filter((r) => r === '250')).toHaveLength(maxRecipients);
      expect(replies.filter((r) => r === '452')).toHaveLength(count - maxRecipients);
      expect(await smtp.command('DATA')).toMatch(/^354/);
      await smtp.write(`${aRawMessage({ to: 'Bob <bob@y.com>', subject: `To ${count}` })}.\r\n`);
      expect(await smtp.reply()).toMatch(/^250 .*\((logged|rejected)\)/);
      smtp.end();
    },
  );
});
