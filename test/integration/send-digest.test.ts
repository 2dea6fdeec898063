import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { commandsMarker } from '#domain/render-digest.ts';
import { localReplyTokens } from '#local/token-keys.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { scanTable } from '../support/scan-table.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/** Sends a digest through the SES emulator, at most once a day. */
describe('sending a digest', () => {
  let stack: TestStack;
  let me: User;
  let quiet: User;
  let sender: Awaited<ReturnType<typeof startDigestRunner>>;
  const sent = (): Promise<SentEmail[]> => sender.sent();

  beforeAll(async () => {
    // Friday 6 March 2026, 08:00 in Berlin.
    stack = await startTestStack({ mailDomain: domain, clock: 'fixed:2026-03-06T07:00:00Z' });
    const register = async (email: string) => {
      const added = await stack.services.registerUser({ email, timeZone: 'Europe/Berlin' });
      if (!added.ok) throw new Error(added.problems.join('; '));
      return added.user;
    };
    me = await register('me@example.com');
    quiet = await register('quiet@example.com');
    await stack.sendRaw(
      { from: 'me@example.com', to: [`log@${domain}`] },
      aRawMessage({
        to: 'Alice <alice@x.com>',
        subject: 'Lunch next week?',
        date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      }),
    );
    sender = await startDigestRunner(stack, stack.clock);
  });
  afterAll(async () => {
    sender?.close();
    await stack?.stop();
  });

  it('sends the day digest with its reply address, one-click unsubscribe and Auto-Submitted', async () => {
    const outcome = await sender.sendDigest(me);

    expect(outcome).toMatchObject({ status: 'sent', localDate: '2026-03-06', items: 1 });
    const [email] = await sent();
    expect(email?.destination.to).toEqual(['me@example.com']);
    expect(email?.subject).toBe('1 waiting on a reply');
    expect(email?.body.text).toContain('Alice');
    expect(email?.body.text).toContain(commandsMarker);
    const headers = Object.fromEntries((email?.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['Auto-Submitted']).toBe('auto-generated');
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const replyTo = email?.replyTo[0] ?? '';
    expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]+@${domain.replaceAll('.', '\\.')}$`));
    expect(headers['List-Unsubscribe']).toContain(`<mailto:${replyTo}?subject=unsubscribe>`);
    const token = replyTo.slice('reply+'.length, replyTo.indexOf('@'));
    const tokens = await localReplyTokens(stack.config.dataDir);
    expect(tokens.read(token, stack.clock())).toMatchObject({
      ok: true,
      claims: { kind: 'digest', userId: me.userId, ref: '2026-03-06' },
    });
    expect(await stack.services.store.getDigest(me.userId, '2026-03-06')).toMatchObject({
      state: 'sent',
      items: [expect.objectContaining({ number: 1, section: 'waiting', address: 'alice@x.com' })],
    });
  });

  it('keeps the digest record 62 days, past the 60 days of records the steered views read', async () => {
    const items = await scanTable(stack.dynamo.endpoint, stack.config.tableName);
    const record = items.find((i) => i.PK === `USER#${me.userId}` && i.SK === 'DIGEST#2026-03-06');

    expect(record?.expiresAt).toBe(Date.parse('2026-05-07T07:00:00Z') / 1000);
  });

  it('never sends a second copy the same day, whatever retries', async () => {
    const again = await sender.sendDigest(me);

    expect(again).toEqual({ status: 'already-begun', localDate: '2026-03-06' });
    expect(await sent()).toHaveLength(1);
  });

  it('brings the history checkpoint up to now after each send, whatever its outcome', async () => {
    const mine = await stack.services.store.getCheckpoint(me.userId);
    const theirs = await stack.services.store.getCheckpoint(quiet.userId);
    await sender.sendDigest(quiet);

    expect(mine?.builtAt).toBe('2026-03-06T06:58:00.000Z');
    expect(mine?.kept.map((m) => m.subject)).toEqual(['Lunch next week?']);
    expect(theirs).toBeNull();
    expect(await stack.services.store.getCheckpoint(quiet.userId)).toMatchObject({
      builtAt: '2026-03-06T06:58:00.000Z',
      kept: [],
    });
  });

  it('sends nothing when there is nothing to show', async () => {
    expect(await sender.sendDigest(quiet)).toMatchObject({ status: 'nothing-to-show' });
    expect(await sent()).toHaveLength(1);
  });
});
