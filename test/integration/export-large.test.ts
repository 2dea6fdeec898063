import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { messageItem } from '#adapters/dynamodb/dynamodb-store.ts';
import type { User } from '#domain/model.ts';
import { localReplyTokens } from '#local/token-keys.ts';
import { aMessageHistory, writeAll } from '../../bench/support.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/**
 * `export` for a user with 20,000 logged messages (2,000 contacts), seeded straight into the
 * table as the store writes them: the answer arrives with its files, within a size mail takes,
 * and says what it left out.
 */
describe('export of a long history', () => {
  let stack: TestStack;
  let me: User;
  const now = new Date('2026-06-01T08:00:00Z');
  let runner: Awaited<ReturnType<typeof startDigestRunner>>;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: () => now });
    const added = await stack.services.registerUser({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    const client = makeDocumentClient({ region: 'local', endpoint: stack.dynamo.endpoint });
    try {
      const history = aMessageHistory(me.userId, { messages: 20_000, contacts: 2_000 });
      await writeAll(
        client,
        stack.config.tableName,
        history.map((m) => messageItem(m)),
      );
    } finally {
      client.destroy();
    }
    runner = await startDigestRunner(stack, () => now);
  }, 120_000);

  afterAll(async () => {
    runner?.close();
    await stack?.stop();
  });

  it('answers with all four files, under 7 MB, naming what was cut', async () => {
    // Prepare
    const tokens = await localReplyTokens(stack.config.dataDir);
    const to = `reply+${tokens.issue({
      kind: 'confirmation',
      userId: me.userId,
      ref: '2026-06-01',
      expiresAt: new Date('2026-07-01T00:00:00Z'),
    })}@${domain}`;

    // Act
    const response = await stack.sendRaw(
      { from: 'me@example.com', to: [to] },
      aRawMessage({ from: 'me@example.com', to, subject: 'Re: givefirst', body: 'export' }),
    );

    // Assess
    expect(response).toContain('(steered)');
    const [answer] = (await runner.sent()) as (SentEmail & {
      attachments?: { filename: string; content: string }[];
    })[];
    const files = answer?.attachments ?? [];
    expect(files.map((f) => f.filename).sort()).toEqual([
      'contacts.csv',
      'export.json',
      'settings.csv',
      'threads.csv',
    ]);
    const encoded = files.reduce((sum, f) => sum + f.content.length, 0);
    // Base64 as sent, plus line breaks every 76 characters: the message SES was handed.
    const rawBytes = Math.ceil(encoded * (78 / 76));
    console.log(
      `export of 20,000 messages: ${encoded} bytes of base64 attachments (~${rawBytes} raw)`,
    );
    expect(rawBytes).toBeLessThan(7_000_000);
    const text = answer?.body.text ?? '';
    expect(text).toContain('Your data is attached: 2000 contacts and');
    const json = JSON.parse(
      Buffer.from(
        files.find((f) => f.filename === 'export.json')?.content ?? '',
        'base64',
      ).toString('utf8'),
    );
    for (const line of json.cut as string[]) expect(text).toContain(line);
    // 4,000 threads do not all fit in export.json: the answer says which were left out.
    expect(json.cut).toEqual([expect.stringMatching(/^export\.json holds the [\d,]+ threads/)]);
    expect(json.threads.length).toBeLessThan(4_000);
  }, 120_000);
});
