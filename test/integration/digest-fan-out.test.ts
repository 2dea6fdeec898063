import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { readDigestMessage } from '#adapters/sqs/digest-queue.ts';
import { slotMinutes, slotOf } from '#domain/digest-schedule.ts';
import { shortKey } from '#domain/ids.ts';
import type { User } from '#domain/model.ts';
import { type RunningSesEmulator, startSesEmulator } from '#local/ses-emulator.ts';
import { asked, sent } from '../builders/logged-message.ts';
import type { SentEmail } from '../support/digest-runner.ts';
import { startTestSecrets, type TestSecrets } from '../support/secrets-server.ts';
import { startTestSqs, type TestSqs } from '../support/sqs-server.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const secretId = 'givefirst/reply-token-keys';
const secretString = JSON.stringify({
  signWith: 1,
  key1: randomBytes(33)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'A'),
});
const queueName = 'GivefirstStateless-DigestQueue-XYZ';

/** The SQS event Lambda's poller hands the worker for these bodies. */
const anSqsEvent = (bodies: string[]): SQSEvent => ({
  Records: bodies.map(
    (body, i) => ({ messageId: `m${i}`, body, eventSource: 'aws:sqs' }) as unknown as SQSRecord,
  ),
});

/**
 * The scheduler and the digest worker as deployed, on the real clock: the two handlers against a
 * real table, Secrets Manager, the SQS emulation the CLI tests use, and the SES emulator. An inline
 * limit of one makes three due users go through the queue.
 */
describe('the digest fan-out: scheduler to queue to worker, as on AWS', () => {
  let table: TestTable;
  let secrets: TestSecrets;
  let sqs: TestSqs;
  let ses: RunningSesEmulator;
  let store: DynamoStore;
  const users: User[] = [];
  let schedule: (event: unknown) => Promise<Record<string, number>>;
  let work: (event: SQSEvent) => Promise<SQSBatchResponse>;
  const sentMail = async () =>
    ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: SentEmail[] }).emails;

  beforeAll(async () => {
    [table, secrets, sqs, ses] = await Promise.all([
      startTestTable(),
      startTestSecrets({ [secretId]: secretString }),
      startTestSqs(queueName),
      startSesEmulator(0),
    ]);
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      REPLY_TOKEN_KEYS_SECRET: secretId,
      MAIL_DOMAIN: 'in.givefirst.test',
      FROM_ADDRESS: 'digest@givefirst.test',
      CONFIGURATION_SET: 'givefirst',
      PUBLIC_URL: 'https://givefirst.test',
      SES_SEND_INTERVAL_MS: '0',
      INLINE_DIGEST_LIMIT: '1',
      DIGEST_QUEUE_URL: sqs.queueUrl,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    });
    const now = new Date();
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock: () => now });
    // Three users whose hour is this slot (every day, UTC), each waiting on a reply for ten days.
    const slot = slotOf(now);
    const slotStart = new Date(Date.parse(slot));
    for (const name of ['ann', 'bob', 'cat']) {
      const email = `${name}@example.com`;
      const user: User = {
        userId: shortKey('user', email),
        email,
        aliases: [],
        timeZone: 'UTC',
        digestAt: DateTime.fromJSDate(slotStart, { zone: 'UTC' }).toFormat('HH:mm'),
        frequency: 'daily',
        neverLog: [],
        createdAt: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
      };
      await store.addUser(user);
      await store.saveLoggedMessage(
        sent(new Date(now.getTime() - 10 * 86_400_000).toISOString(), [asked('dee@d.example')], {
          userId: user.userId,
          from: email,
          timeZone: 'UTC',
        }),
      );
      await store.scheduleDigest(user.userId, {
        slot,
        at: slotStart,
        localDate: slot.slice(0, 10),
      });
      users.push(user);
    }
    await store.setSchedulerCursor(
      slotOf(new Date(slotStart.getTime() - 2 * slotMinutes * 60_000)),
    );
    ({ handler: schedule } = (await import('../../functions/handlers/schedule-digests.ts')) as {
      handler: typeof schedule;
    });
    ({ handler: work } = await import('../../functions/handlers/send-digests.ts'));
  });

  afterAll(async () => {
    await Promise.all([table?.close(), secrets?.close(), sqs?.close(), ses?.close()]);
  });

  it('the scheduler queues each due user, naming the user and the slot, and sends nothing itself', async () => {
    const summary = await schedule({});

    expect(summary).toMatchObject({ slots: 1, queued: 3 });
    expect(sqs.bodies.map((body) => readDigestMessage(body)?.userId).sort()).toEqual(
      users.map((u) => u.userId).sort(),
    );
    expect(await sentMail()).toEqual([]);
  });

  it('the worker sends each queued digest once, and a redelivered batch sends none again', async () => {
    const event = anSqsEvent(sqs.bodies);

    expect(await work(event)).toEqual({ batchItemFailures: [] });
    expect(await work(event)).toEqual({ batchItemFailures: [] });

    const mail = await sentMail();
    expect(mail.map((m) => m.destination.to[0]).sort()).toEqual(users.map((u) => u.email).sort());
    expect(mail.every((m) => m.subject === '1 waiting on a reply')).toBe(true);
  });

  it('the worker reports a message that names no user as failed, alone', async () => {
    const event = anSqsEvent(['{"not":"a digest"}', sqs.bodies[0] ?? '']);

    expect(await work(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});
