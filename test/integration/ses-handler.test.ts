import { readFile } from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { LoggedMessage } from '#domain/model.ts';
import { buildThreads } from '#domain/threads.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const mailDomain = 'in.example.com';
const clock = () => new Date('2026-03-02T12:00:00Z');

async function sesEvent(): Promise<SESEvent> {
  return JSON.parse(await readFile(fixture('ses-lambda-event.json'), 'utf8')) as SESEvent;
}

describe('ingest handler on an SES receipt event, raw mail in S3', () => {
  let table: TestTable;
  let s3: TestS3;
  let store: DynamoStore;
  let handler: (event: SESEvent) => Promise<unknown>;
  const raw = readFile(fixture('mail/lunch-question.eml'));

  beforeAll(async () => {
    table = await startTestTable();
    s3 = await startTestS3(['raw-mail']);
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      RAW_MAIL_BUCKET: 'raw-mail',
      RAW_MAIL_PREFIX: 'inbound/',
      MAIL_DOMAIN: mailDomain,
      REPLY_TOKEN_KEYS: JSON.stringify({ signWith: 1, keys: { 1: 'a'.repeat(44) } }),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
    });
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock });
    await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    const event = await sesEvent();
    const s3client = new S3Client({
      region: 'eu-west-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3client.send(
      new PutObjectCommand({
        Bucket: 'raw-mail',
        Key: `inbound/${event.Records[0]?.ses.mail.messageId}`,
        Body: await raw,
      }),
    );
    s3client.destroy();
    ({ handler } = await import('../../functions/handlers/ingest-email.ts'));
  });

  afterAll(async () => {
    await table?.close();
    await s3?.close();
  });

  it('logs the Bcc-ed message once, however often SES delivers the event', async () => {
    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await handler(await sesEvent()));

    // Assess
    for (const outcome of outcomes) {
      expect(outcome).toEqual([
        expect.objectContaining({ status: 'logged', contacts: 2, awaited: 1 }),
      ]);
    }
    const user = await store.findUserByAddress('me@example.com');
    const contacts = await store.listContacts(user?.userId ?? '');
    expect(contacts.map((c) => [c.address, c.touchesOut])).toEqual([
      ['alice@x.com', 1],
      ['bob@y.com', 1],
    ]);
  });

  it('ends in exactly the records the local SMTP front door writes for the same mail', async () => {
    // Prepare
    let stack: TestStack | undefined;
    try {
      stack = await startTestStack({ mailDomain, clock: 'fixed:2026-03-02T12:00:00Z' });
      await stack.services.registerUser({ email: 'me@example.com', timeZone: 'Europe/Berlin' });

      // Act
      await stack.sendRaw({ from: 'me@example.com', to: [`log@${mailDomain}`] }, await raw);

      // Assess
      const awsUser = await store.findUserByAddress('me@example.com');
      const localUser = await stack.services.store.findUserByAddress('me@example.com');
      expect(localUser?.userId).toBe(awsUser?.userId);
      const id = awsUser?.userId ?? '';
      expect(await stack.services.store.listContacts(id)).toEqual(await store.listContacts(id));
      const withoutReceipt = (messages: LoggedMessage[]) =>
        messages.map(({ receiptId: _, ...rest }) => rest);
      const awsMessages = await store.listMessages(id);
      expect(withoutReceipt(await stack.services.store.listMessages(id))).toEqual(
        withoutReceipt(awsMessages),
      );
      const threads = buildThreads(awsMessages, 'Europe/Berlin', new Date('2026-03-05T08:00:00Z'));
      expect(threads.map((t) => t.contacts.map((c) => [c.address, c.state, c.dueOn]))).toEqual([
        [['alice@x.com', 'due', '2026-03-05']],
      ]);
    } finally {
      await stack?.stop();
    }
  });
});
