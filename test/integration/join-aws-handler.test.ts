import { readFile } from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent, SESReceiptStatus } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoOnboardingStore } from '#adapters/dynamodb/onboarding-store.ts';
import type { Outcome } from '#domain/model.ts';
import { type RunningSesEmulator, startSesEmulator } from '#local/ses-emulator.ts';
import type { SentEmail } from '../support/digest-runner.ts';
import { ingestFunctionEnv } from '../support/ingest-function-env.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { startTestSecrets, type TestSecrets } from '../support/secrets-server.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const mailDomain = 'in.example.com';
const clock = () => new Date();

/**
 * Joining by email through the AWS ingest handler: an SES receipt event, the raw mail in S3 with
 * SES's own Authentication-Results on top, the welcome and the confirmation sent through the SES
 * API (the emulator stands in for SES).
 */
describe('joining by email through the AWS ingest handler', () => {
  let table: TestTable;
  let s3: TestS3;
  let secrets: TestSecrets;
  let ses: RunningSesEmulator;
  let s3client: S3Client;
  let store: DynamoStore;
  let handler: (event: SESEvent) => Promise<Outcome[]>;
  let seq = 0;

  const sent = async () =>
    ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: SentEmail[] }).emails;

  /** One message as SES hands it over: its verdicts in the event, the raw mail in S3. */
  async function receive(options: {
    from: string;
    to: string;
    text: string;
    /** The DMARC verdict SES computed (PASS for example.com unless said otherwise). */
    dmarc?: 'PASS' | 'FAIL';
  }): Promise<Outcome | undefined> {
    const messageId = `join-${seq++}`;
    const dmarc = options.dmarc ?? 'PASS';
    const raw = [
      `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=example.com; dkim=${dmarc === 'PASS' ? 'pass header.i=@example.com' : 'none'}; dmarc=${dmarc.toLowerCase()} header.from=example.com;`,
      `From: ${options.from}`,
      `To: ${options.to}`,
      'Subject: Joining',
      'Date: Mon, 02 Mar 2026 10:15:00 +0900',
      `Message-ID: <${messageId}@mail.example.com>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      options.text,
      '',
    ].join('\r\n');
    await s3client.send(
      new PutObjectCommand({ Bucket: 'raw-mail', Key: `inbound/${messageId}`, Body: raw }),
    );
    const event = JSON.parse(
      await readFile(new URL('../fixtures/ses-lambda-event.json', import.meta.url), 'utf8'),
    ) as SESEvent;
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.ses.mail.messageId = messageId;
    record.ses.receipt.recipients = [options.to];
    const status = (s: string): SESReceiptStatus => ({ status: s as SESReceiptStatus['status'] });
    Object.assign(record.ses.receipt, {
      dmarcVerdict: status(dmarc),
      dkimVerdict: status(dmarc),
    });
    return (await handler(event))[0];
  }

  beforeAll(async () => {
    table = await startTestTable();
    s3 = await startTestS3(['raw-mail']);
    ses = await startSesEmulator(0);
    secrets = await startTestSecrets({
      'givefirst/reply-token-keys': JSON.stringify({ signWith: 1, key1: 'b'.repeat(44) }),
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
          sesv2: ses.endpoint,
        },
      }),
    );
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock });
    const onboarding = new DynamoOnboardingStore({
      client: table.client,
      tableName: table.tableName,
      clock,
    });
    await onboarding.allowDomain('example.com', clock());
    s3client = new S3Client({
      region: 'eu-west-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    ({ handler } = (await import('../../functions/handlers/ingest-email.ts')) as unknown as {
      handler: typeof handler;
    });
  });

  afterAll(async () => {
    s3client?.destroy();
    await table?.close();
    await s3?.close();
    await secrets?.close();
    await ses?.close();
  });

  it('welcomes once, and a yes from the person registers them with the zone their mail showed', async () => {
    // Act 1
    const welcomed = await receive({
      from: 'Kenji <kenji@example.com>',
      to: `start@${mailDomain}`,
      text: 'Hello, may I join?',
    });
    const again = await receive({
      from: 'Kenji <kenji@example.com>',
      to: `start@${mailDomain}`,
      text: 'Hello again?',
    });

    // Assess 1
    expect(welcomed).toEqual({
      status: 'welcomed',
      address: 'kenji@example.com',
      timeZone: 'Asia/Tokyo',
    });
    expect(again).toMatchObject({ status: 'rejected', reason: 'welcome-already-sent' });
    const [welcome, ...more] = await sent();
    expect(more).toEqual([]);
    expect(welcome?.destination.to).toEqual(['kenji@example.com']);
    expect(welcome?.from).toContain(`digest@${mailDomain}`);
    const replyTo = welcome?.replyTo[0] ?? '';
    expect(replyTo).toMatch(/^reply\+[a-z2-7]{52}@in\.example\.com$/);

    // Act 2: a forged yes (DMARC failed), then the real one
    const forged = await receive({
      from: 'kenji@example.com',
      to: replyTo,
      text: 'yes',
      dmarc: 'FAIL',
    });
    const yes = await receive({ from: 'kenji@example.com', to: replyTo, text: 'yes\nat 7:30' });

    // Assess 2
    expect(forged).toMatchObject({ status: 'rejected', reason: 'sender-not-authenticated' });
    expect(yes).toMatchObject({ status: 'joined', confirmed: true });
    expect(await store.findUserByAddress('kenji@example.com')).toMatchObject({
      timeZone: 'Asia/Tokyo',
      digestAt: '07:30',
    });
    expect((await sent()).map((e) => e.destination.to[0])).toEqual([
      'kenji@example.com',
      'kenji@example.com',
    ]);
  });
});
