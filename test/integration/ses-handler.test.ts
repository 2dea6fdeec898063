import { readFile } from 'node:fs/promises';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent, SESReceiptStatus } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { LoggedMessage } from '#domain/model.ts';
import { buildThreads } from '#domain/threads.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { ingestFunctionEnv } from '../support/ingest-function-env.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { startTestSecrets, type TestSecrets } from '../support/secrets-server.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const mailDomain = 'in.example.com';
const clock = () => new Date('2026-03-02T12:00:00Z');

async function sesEvent(): Promise<SESEvent> {
  return JSON.parse(await readFile(fixture('ses-lambda-event.json'), 'utf8')) as SESEvent;
}

/** The raw mail as SES's S3 action stores it: SES's own Authentication-Results on top. */
const asSesStores = (raw: Buffer | string, sesResults: string) =>
  Buffer.concat([
    Buffer.from(`Authentication-Results: amazonses.com; ${sesResults}\r\n`),
    Buffer.from(raw),
  ]);

describe('ingest handler on an SES receipt event, raw mail in S3', () => {
  let table: TestTable;
  let s3: TestS3;
  let secrets: TestSecrets;
  let store: DynamoStore;
  let handler: (event: SESEvent) => Promise<unknown>;
  let s3client: S3Client;
  const raw = readFile(fixture('mail/lunch-question.eml'));

  beforeAll(async () => {
    table = await startTestTable();
    s3 = await startTestS3(['raw-mail']);
    // The reply-token keys, read at run time as on AWS (reply commands need them).
    secrets = await startTestSecrets({
      'givefirst/reply-token-keys': JSON.stringify({ signWith: 1, key1: 'a'.repeat(44) }),
    });
    Object.assign(
      process.env,
      ingestFunctionEnv({
        tableName: table.tableName,
        mailDomain,
        endpoints: {
          dynamodb: table.endpoint,
          s3: s3.endpoint,
          secretsManager: secrets.endpoint,
        },
      }),
    );
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock });
    await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    await makeRegisterUser({ users: store, clock })({ email: 'alice@alice.github.io' });
    const event = await sesEvent();
    s3client = new S3Client({
      region: 'eu-west-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3client.send(
      new PutObjectCommand({
        Bucket: 'raw-mail',
        Key: `inbound/${event.Records[0]?.ses.mail.messageId}`,
        Body: asSesStores(
          await raw,
          'spf=pass smtp.mailfrom=me@example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;',
        ),
      }),
    );
    ({ handler } = await import('../../functions/handlers/ingest-email.ts'));
  });

  afterAll(async () => {
    s3client?.destroy();
    await table?.close();
    await s3?.close();
    await secrets?.close();
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
    if (!user) throw new Error('the user is not registered');
    const { ledger } = await makeRelationships({ store, clock })(user);
    expect(ledger.map((c) => [c.address, c.touchesOut])).toEqual([
      ['alice@x.com', 1],
      ['bob@y.com', 1],
    ]);
    // Logged, its raw mail is deleted: the deliveries after it are answered by the receipt.
    const key = `inbound/${(await sesEvent()).Records[0]?.ses.mail.messageId}`;
    await expect(
      s3client.send(new GetObjectCommand({ Bucket: 'raw-mail', Key: key })),
    ).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('fails a receipt whose raw mail is no longer in the bucket, saying so, for redrive', async () => {
    const event = await sesEvent();
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.ses.mail.messageId = 'never-stored';

    await expect(handler(event)).rejects.toThrow(
      /raw mail inbound\/never-stored is no longer stored/,
    );
    const failed = await store.listFailedReceipts(100);
    expect(failed.map((r) => r.envelope.receiptId)).toContain('never-stored');
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
      if (!awsUser) throw new Error('the user is not registered');
      expect(await stack.services.relationships(awsUser)).toEqual(
        await makeRelationships({ store, clock })(awsUser),
      );
      // The receipt's id and time belong to each door's own receipt of the mail.
      const withoutReceipt = (messages: LoggedMessage[]) =>
        messages.map(({ receiptId: _, receivedAt: _at, ...rest }) => rest);
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

  describe('attacks on the SES verdicts, through the handler', () => {
    let seq = 0;
    const status = (s: string): SESReceiptStatus => ({ status: s as SESReceiptStatus['status'] });

    /** One message as SES hands it over: its verdicts in the event, the raw mail in S3. */
    async function receive(options: {
      from: string;
      subject: string;
      dmarc: string;
      dkim?: string;
      stored: (raw: string) => Buffer | string;
    }) {
      const messageId = `attack-${seq++}`;
      const rawMail = [
        `From: ${options.from}`,
        'To: Alice <alice@x.com>',
        `Subject: ${options.subject}`,
        'Date: Mon, 02 Mar 2026 10:15:00 +0100',
        `Message-ID: <${messageId}@mail.example.com>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Could we have lunch next week?',
        '',
      ].join('\r\n');
      await s3client.send(
        new PutObjectCommand({
          Bucket: 'raw-mail',
          Key: `inbound/${messageId}`,
          Body: Buffer.from(options.stored(rawMail)),
        }),
      );
      const event = await sesEvent();
      const record = event.Records[0];
      if (!record) throw new Error('fixture has no record');
      record.ses.mail.messageId = messageId;
      Object.assign(record.ses.receipt, {
        dmarcVerdict: status(options.dmarc),
        dkimVerdict: status(options.dkim ?? 'PASS'),
      });
      return handler(event);
    }
    const rejectedAs = (reason: string) => [
      expect.objectContaining({ status: 'rejected', reason }),
    ];

    it('logs a DMARC pass that SES computed for the very From domain', async () => {
      const outcome = await receive({
        from: 'Me <me@example.com>',
        subject: 'SES control',
        dmarc: 'PASS',
        stored: (m) => asSesStores(m, 'dkim=none; dmarc=pass header.from=example.com'),
      });

      expect(outcome).toEqual([expect.objectContaining({ status: 'logged' })]);
    });

    it('refuses a group From that SES judged for the signer hidden in it', async () => {
      const outcome = await receive({
        from: 'g:<me@example.com>; <evil@evil.test>',
        subject: 'SES group from',
        dmarc: 'PASS',
        stored: (m) =>
          asSesStores(m, 'dkim=pass header.d=evil.test; dmarc=pass header.from=evil.test'),
      });

      expect(outcome).toEqual(rejectedAs('ambiguous-from'));
    });

    it('refuses a DMARC PASS that SES computed for another From domain', async () => {
      const outcome = await receive({
        from: 'Me <me@example.com>',
        subject: 'SES other domain',
        dmarc: 'PASS',
        stored: (m) =>
          asSesStores(m, 'dkim=pass header.d=evil.test; dmarc=pass header.from=evil.test'),
      });

      expect(outcome).toEqual(rejectedAs('sender-not-authenticated'));
    });

    it('believes nothing inside the message when SES own header is missing', async () => {
      const outcome = await receive({
        from: 'Me <me@example.com>',
        subject: 'SES header missing',
        dmarc: 'PASS',
        stored: (m) =>
          `Authentication-Results: relay.elsewhere.test; none\r\nAuthentication-Results: amazonses.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com\r\n${m}`,
      });

      expect(outcome).toEqual(rejectedAs('sender-not-authenticated'));
    });

    it('reads no DKIM pass from a malformed header.i', async () => {
      const outcome = await receive({
        from: 'Me <me@example.com>',
        subject: 'SES malformed identity',
        dmarc: 'FAIL',
        stored: (m) =>
          asSesStores(
            m,
            'dkim=pass header.i=@evil.test@example.com; dmarc=fail header.from=example.com',
          ),
      });

      expect(outcome).toEqual(rejectedAs('sender-not-authenticated'));
    });

    it('does not align two sites under the same private suffix (github.io)', async () => {
      const outcome = await receive({
        from: 'Alice <alice@alice.github.io>',
        subject: 'SES private suffix',
        dmarc: 'FAIL',
        stored: (m) =>
          asSesStores(
            m,
            'dkim=pass header.d=evil.github.io; dmarc=fail header.from=alice.github.io',
          ),
      });

      expect(outcome).toEqual(rejectedAs('sender-not-authenticated'));
    });

    it('keeps a message SES could not judge for redrive instead of rejecting it', async () => {
      const receiving = receive({
        from: 'Me <me@example.com>',
        subject: 'SES processing failed',
        dmarc: 'PROCESSING_FAILED',
        dkim: 'PROCESSING_FAILED',
        stored: (m) => asSesStores(m, 'dkim=temperror; dmarc=temperror header.from=example.com'),
      });

      await expect(receiving).rejects.toThrow(/kept for redrive/);
      const kept = await s3client.send(
        new GetObjectCommand({ Bucket: 'raw-mail', Key: `inbound/attack-${seq - 1}` }),
      );
      expect(await kept.Body?.transformToString()).toContain('SES processing failed');
      const failed = await store.listFailedReceipts(100);
      expect(failed.map((r) => r.envelope.receiptId)).toContain(`attack-${seq - 1}`);
      const rejections = await store.listRejections({ days: 2, limit: 100 });
      expect(rejections.map((r) => r.subject)).not.toContain('SES processing failed');
    });
  });
});
