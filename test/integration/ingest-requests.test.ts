/**
 * What one logged message costs in DynamoDB requests, by kind: the write budget of the ingest path
 * (docs/storage.md, "Writes without transactions"). Nothing is paid per recipient.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { MemoryRawMail } from '../support/memory-raw-mail.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const domain = 'in.givefirst.test';

describe('DynamoDB requests per logged message', () => {
  let table: TestTable;
  const counts = new Map<string, number>();
  let ingest: ReturnType<typeof makeIngestEmail>;
  let rawMail: MemoryRawMail;
  let receipts = 0;

  beforeAll(async () => {
    table = await startTestTable();
    const client = makeDocumentClient({ region: 'local', endpoint: table.endpoint });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName);
        counts.set(command, (counts.get(command) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const clock = () => new Date('2026-03-02T12:00:00Z');
    const store = new DynamoStore({ client, tableName: table.tableName, clock });
    await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      aliases: ['me@work.example'],
      timeZone: 'Europe/Berlin',
    });
    rawMail = new MemoryRawMail();
    ingest = makeIngestEmail({
      store,
      rawMail,
      parseMail,
      mailDomain: domain,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await table?.close();
  });

  async function requestsToLog(raw: string) {
    const receiptId = `receipt-${receipts++}`;
    await rawMail.put(`raw/${receiptId}`, Buffer.from(raw));
    counts.clear();
    const outcome = await ingest({
      receiptId,
      rawKey: `raw/${receiptId}`,
      recipients: [`log@${domain}`],
      mailFrom: 'me@example.com',
      receivedAt: new Date('2026-03-02T12:00:00Z'),
      verdicts: { source: 'operator' },
    });
    expect(outcome.status).toBe('logged');
    return Object.fromEntries(counts);
  }

  const fivePeople = ['a@x.example', 'b@x.example', 'c@y.example', 'd@y.example', 'e@z.example'];

  test.each([
    { to: ['alice@x.example'], sent: 'one recipient' },
    { to: fivePeople, sent: 'five recipients' },
  ])('from the primary address to $sent: five requests', async ({ to }) => {
    // Act
    const requests = await requestsToLog(aRawMessage({ to: to.join(', ') }));

    // Assess
    expect(requests).toEqual({ PutItemCommand: 2, BatchGetItemCommand: 1, UpdateItemCommand: 2 });
  });

  test('from an alias: the profile is a second read', async () => {
    // Act
    const requests = await requestsToLog(
      aRawMessage({ from: 'Me <me@work.example>', to: fivePeople.join(', ') }),
    );

    // Assess
    expect(requests).toEqual({
      PutItemCommand: 2,
      BatchGetItemCommand: 1,
      GetItemCommand: 1,
      UpdateItemCommand: 2,
    });
  });
});
