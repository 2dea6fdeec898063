import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { InboundEnvelope } from '#domain/model.ts';
import {
  startTestCloudFormation,
  type TestCloudFormation,
} from '../support/cloudformation-server.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { startTestSqs, type TestSqs } from '../support/sqs-server.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const run = promisify(execFile);
// The compiled CLI, as `npx givefirst` runs it; built here from the sources under test.
const bin = fileURLToPath(new URL('../../bin/givefirst.js', import.meta.url));
const build = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const region = 'eu-west-1';
const bucket = `givefirst-raw-mail-000000000000-${region}`;
const mailDomain = 'in.example.com';
const unsubscribeUrl = 'https://abcdefghijklmnop.lambda-url.eu-west-1.on.aws/';

/** The raw mail as SES's S3 action stores it: SES's own Authentication-Results on top. */
const asSesStores = (raw: string) =>
  Buffer.from(
    `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=me@example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;\r\n${raw}`,
  );

/** What Lambda's on-failure destination writes when an invocation failed every retry. */
const aFailureRecord = (event: SESEvent) =>
  JSON.stringify({
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      functionArn: `arn:aws:lambda:${region}:000000000000:function:GivefirstStateless-IngestEmail:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'TimeoutError', errorMessage: 'connect ETIMEDOUT' },
  });

describe('the givefirst command line against a deployment (--aws)', () => {
  let table: TestTable;
  let s3: TestS3;
  let sqs: TestSqs;
  let cloudFormation: TestCloudFormation;
  let s3client: S3Client;
  let store: DynamoStore;
  let home: string;
  let dataDir: string;

  /** The standard AWS settings of an operator's shell, each endpoint a local server. */
  const awsEnv = () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
    return {
      ...env,
      HOME: home,
      GIVEFIRST_DATA_DIR: dataDir,
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    } as NodeJS.ProcessEnv;
  };
  const givefirst = async (args: string[], env: NodeJS.ProcessEnv = awsEnv()) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const aws = (...args: string[]) => givefirst([...args, '--aws', '--region', region]);
  const json = async (...args: string[]) => {
    const result = await aws(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout) };
  };

  beforeAll(async () => {
    await run(process.execPath, [build]);
    [table, s3, sqs] = await Promise.all([
      startTestTable('GivefirstStateful-Table-1ABC'),
      startTestS3([bucket]),
      startTestSqs('GivefirstStateless-IngestFailures-XYZ'),
    ]);
    cloudFormation = await startTestCloudFormation([
      { name: 'SomethingElse', outputs: {} },
      {
        name: 'GivefirstStateful',
        outputs: {
          TableName: table.tableName,
          RawMailBucketName: bucket,
          ReplyTokenKeysSecretArn: `arn:aws:secretsmanager:${region}:000000000000:secret:givefirst/reply-token-keys-AbCdEf`,
        },
      },
      {
        name: 'GivefirstStateless',
        status: 'UPDATE_COMPLETE',
        outputs: {
          MailDomain: mailDomain,
          FromAddress: 'digest@example.com',
          UnsubscribeUrl: unsubscribeUrl,
          IngestFailuresQueueUrl: sqs.queueUrl,
          FailuresQueueUrl: `${sqs.endpoint}/000000000000/GivefirstStateless-Failures-XYZ`,
        },
      },
    ]);
    s3client = new S3Client({
      region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    store = new DynamoStore({
      client: table.client,
      tableName: table.tableName,
      clock: () => new Date(),
    });
    home = await mkdtemp(path.join(os.tmpdir(), 'givefirst-aws-home-'));
    dataDir = path.join(home, 'local-data');
  }, 60_000);
  afterAll(async () => {
    s3client?.destroy();
    await Promise.all([table?.close(), s3?.close(), sqs?.close(), cloudFormation?.close()]);
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('adds a user to the deployment and lists it, leaving the local data alone', async () => {
    const added = await json('user', 'add', 'me@example.com', '--tz', 'Europe/Berlin');
    expect(added.code).toBe(0);
    expect(added.body.user).toMatchObject({ email: 'me@example.com', timeZone: 'Europe/Berlin' });

    const listed = await json('user', 'list');
    expect(listed.body.users.map((u: { email: string }) => u.email)).toEqual(['me@example.com']);
    expect((await store.findUserByAddress('me@example.com'))?.timeZone).toBe('Europe/Berlin');
    expect(await readdir(home)).toEqual([]);
    const human = await aws('user', 'add', 'me@example.com');
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('already a registered user');
  });

  it('allows a domain on the deployment, lists it and removes it', async () => {
    const allowed = await json('allow', 'example.com');
    const listed = await json('allow', '--list');
    const removed = await json('allow', '--remove', 'example.com');

    expect(allowed).toMatchObject({ code: 0, body: { domain: 'example.com', added: true } });
    expect(listed.body.domains.map((d: { domain: string }) => d.domain)).toEqual(['example.com']);
    expect(removed).toMatchObject({ code: 0, body: { domain: 'example.com', removed: true } });
    expect((await json('allow', '--list')).body.domains).toEqual([]);
    expect(await readdir(home)).toEqual([]);
  });

  it('redrives from S3 a receipt the store lists as failed, and then it is logged', async () => {
    const raw = (await readFile(fixture('mail/lunch-question.eml'), 'utf8'))
      .replace('<lunch-1@mail.example.com>', '<coffee-1@mail.example.com>')
      .replace('Subject: Lunch next week?', 'Subject: Coffee on Friday?')
      // A week ago: its reply window is over by now, so the digest shows it.
      .replace(/^Date: .*$/m, `Date: ${new Date(Date.now() - 7 * 86_400_000).toUTCString()}`);
    const envelope: InboundEnvelope = {
      receiptId: 'failedreceipt0000000000001',
      rawKey: 'inbound/failedreceipt0000000000001',
      recipients: [`log@${mailDomain}`],
      mailFrom: 'me@example.com',
      receivedAt: new Date(),
      verdicts: {
        source: 'ses',
        spf: 'PASS',
        dkim: 'PASS',
        dmarc: 'PASS',
        spam: 'PASS',
        virus: 'PASS',
      },
    };
    await s3client.send(
      new PutObjectCommand({ Bucket: bucket, Key: envelope.rawKey, Body: asSesStores(raw) }),
    );
    await store.beginReceipt(envelope);
    await store.failReceipt(envelope, 'connect ETIMEDOUT');

    const redriven = await json('redrive');

    expect(redriven.code).toBe(0);
    expect(redriven.body.results).toEqual([
      expect.objectContaining({
        receiptId: envelope.receiptId,
        from: 'store',
        outcome: expect.objectContaining({ status: 'logged', contacts: 2, awaited: 1 }),
      }),
    ]);
    const threads = await json('threads', 'me@example.com');
    expect(threads.body.threads.map((t: { subject: string }) => t.subject)).toEqual([
      'Coffee on Friday?',
    ]);
    expect((await json('redrive')).body.results).toEqual([]);
  });

  it('redrives what sits on the ingest failure queue and deletes it from the queue', async () => {
    const event = JSON.parse(await readFile(fixture('ses-lambda-event.json'), 'utf8')) as SESEvent;
    const messageId = event.Records[0]?.ses.mail.messageId;
    await s3client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `inbound/${messageId}`,
        Body: asSesStores(await readFile(fixture('mail/lunch-question.eml'), 'utf8')),
      }),
    );
    sqs.enqueue(aFailureRecord(event));
    sqs.enqueue('{"not":"a failure record"}');

    const redriven = await json('redrive');

    expect(redriven.code).toBe(1);
    expect(redriven.body.results).toEqual([
      expect.objectContaining({
        receiptId: messageId,
        from: 'queue',
        outcome: expect.objectContaining({ status: 'logged', contacts: 2, awaited: 1 }),
      }),
    ]);
    expect(redriven.body.leftOnQueue).toEqual([
      expect.objectContaining({ why: 'it carries no SES event under requestPayload' }),
    ]);
    expect(sqs.bodies).toEqual(['{"not":"a failure record"}']);
    const contacts = await json('contacts', 'me@example.com');
    expect(contacts.body.contacts.map((c: { address: string }) => c.address)).toEqual([
      'alice@x.com',
      'bob@y.com',
    ]);
    const threads = await json('threads', 'me@example.com');
    expect(threads.body.threads.map((t: { subject: string }) => t.subject).sort()).toEqual([
      'Coffee on Friday?',
      'Lunch next week?',
    ]);
  });

  it("prints a user's digest with the deployment's links, sending nothing", async () => {
    const printed = await aws('digest', 'me@example.com', '--dry-run');

    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^Subject: /);
    expect(printed.stdout).toContain('Coffee on Friday?');
    expect(printed.stdout).toContain(`${unsubscribeUrl}unsubscribe?t=TOKEN`);
    const sending = await aws('digest', 'me@example.com', '--now');
    expect(sending.code).toBe(2);
    expect(sending.stderr).toContain("sent by the deployment's schedule");
  });

  it('stops a user from a saved SES notification, shows it, and resumes them on the deployment', async () => {
    const fed = await json('ses-event', fixture('ses/hard-bounce.sns-lambda-event.json'));
    expect(fed.code).toBe(0);
    const stopped = await json('user', 'list');
    expect(stopped.body.users[0].sendingState).toMatchObject({ state: 'bouncing' });

    const resumed = await json('user', 'resume', 'me@example.com');

    expect(resumed.code).toBe(0);
    expect((await json('user', 'list')).body.users[0].sendingState).toEqual({ state: 'active' });
    expect((await store.findUserByAddress('me@example.com'))?.pausedAt).toBeUndefined();
  });

  it('lists no rejections when everything was logged', async () => {
    const listed = await json('rejections');
    expect(listed.code).toBe(0);
    expect(listed.body).toEqual({ rejections: [] });
  });

  describe('says what is wrong, without a stack trace', () => {
    const noTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

    it('when no region is set (exit 2)', async () => {
      const result = await givefirst(['user', 'list', '--aws']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('which AWS region?');
      expect(result.stderr).toContain('--region');
      noTrace(result.stderr);
    });

    it('reads the region from AWS_DEFAULT_REGION, as the aws CLI and cdk do', async () => {
      const result = await givefirst(['user', 'list', '--aws', '--json'], {
        ...awsEnv(),
        AWS_DEFAULT_REGION: region,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).users.map((u: { email: string }) => u.email)).toContain(
        'me@example.com',
      );
    });

    it('when there are no credentials (exit 1)', async () => {
      const env = awsEnv();
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const result = await givefirst(['user', 'list', '--aws', '--region', region], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no AWS credentials');
      expect(result.stderr).toContain('AWS_PROFILE');
      noTrace(result.stderr);
    });

    it('when the stacks are not found, naming the ones that are there (exit 1)', async () => {
      const result = await givefirst([
        'rejections',
        '--aws',
        '--region',
        region,
        '--stack-prefix',
        'Staging',
        '--json',
      ]);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({
        error: {
          kind: 'failed',
          message: `no stack StagingStateful in ${region}`,
          hint: expect.stringContaining('--stack-prefix Givefirst'),
        },
      });
      noTrace(result.stderr);
    });

    it('when a flag of --aws is given without it (exit 2)', async () => {
      const result = await givefirst(['user', 'list', '--region', region]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--region goes with --aws');
    });
  });
});
