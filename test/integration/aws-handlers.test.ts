import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type {
  APIGatewayProxyStructuredResultV2,
  LambdaFunctionURLEvent,
  SNSEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplyTokenKeys } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { nextDigest, scheduleOf } from '#domain/digest-schedule.ts';
import type { User } from '#domain/model.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { sendingState } from '#domain/sending-state.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { startTestSecrets, type TestSecrets } from '../support/secrets-server.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const secretId = 'givefirst/reply-token-keys';
// As Secrets Manager generates it: 44 letters and digits under key1.
const secretString = JSON.stringify({
  signWith: 1,
  key1: randomBytes(33)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'A'),
});
const clock = () => new Date();

/** A function URL request as Lambda hands it to the handler. */
function aUrlRequest(method: string, path: string, token?: string): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    rawPath: path,
    rawQueryString: token ? `t=${token}` : '',
    headers: {},
    isBase64Encoded: false,
    ...(token ? { queryStringParameters: { t: token } } : {}),
    ...(method === 'POST' ? { body: 'List-Unsubscribe=One-Click' } : {}),
    requestContext: { http: { method, path } },
  } as unknown as LambdaFunctionURLEvent;
}

/** The SNS delivery of one SES event, as the configuration set publishes it. */
function anSesEvent(event: Record<string, unknown>): SNSEvent {
  return {
    Records: [{ Sns: { Message: JSON.stringify(event) } }],
  } as unknown as SNSEvent;
}

describe('the AWS handlers for unsubscribe and SES notices, on a real table and real HTTP', () => {
  let table: TestTable;
  let secrets: TestSecrets;
  let store: DynamoStore;
  let me: User;
  let you: User;
  let unsubscribe: (event: LambdaFunctionURLEvent) => Promise<APIGatewayProxyStructuredResultV2>;
  let sesNotification: (event: SNSEvent) => Promise<unknown>;
  const tokens = makeTokens(parseReplyTokenKeys(secretString));
  const scheduled = async (user: User) =>
    store.usersDueInSlot(nextDigest(scheduleOf(user), clock()).slot);
  const tokenFor = (user: User, kind: 'unsubscribe' | 'digest') =>
    tokens.issue({
      userId: user.userId,
      ref: '2026-03-02',
      kind,
      expiresAt: new Date(Date.now() + 86_400_000),
    });

  beforeAll(async () => {
    table = await startTestTable();
    secrets = await startTestSecrets({ [secretId]: secretString });
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      REPLY_TOKEN_KEYS_SECRET: secretId,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    });
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock });
    const register = makeRegisterUser({ users: store, digests: store, clock });
    const users = await Promise.all(
      ['me@example.com', 'you@example.com'].map((email) =>
        register({ email, timeZone: 'Europe/Berlin' }),
      ),
    );
    [me, you] = users.map((added) => {
      if (!added.ok) throw new Error(added.problems.join('; '));
      return added.user;
    }) as [User, User];
    ({ handler: unsubscribe } = await import('../../functions/handlers/unsubscribe.ts'));
    ({ handler: sesNotification } = await import('../../functions/handlers/ses-notification.ts'));
  });

  afterAll(async () => {
    await table?.close();
    await secrets?.close();
  });

  describe('one-click unsubscribe', () => {
    it('shows a button on a plain GET and changes nothing', async () => {
      const answer = await unsubscribe(
        aUrlRequest('GET', '/unsubscribe', tokenFor(me, 'unsubscribe')),
      );

      expect(answer.statusCode).toBe(200);
      expect(answer.body).toMatch(/<form method="post"[^>]*><button/);
      expect(await scheduled(me)).toContain(me.userId);
    });

    it('refuses a token of another kind, a forged one, another path and another method', async () => {
      const forged = tokenFor(me, 'unsubscribe').replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
      const answers = await Promise.all([
        unsubscribe(aUrlRequest('POST', '/unsubscribe', tokenFor(me, 'digest'))),
        unsubscribe(aUrlRequest('POST', '/unsubscribe', forged)),
        unsubscribe(aUrlRequest('POST', '/', tokenFor(me, 'unsubscribe'))),
        unsubscribe(aUrlRequest('PUT', '/unsubscribe', tokenFor(me, 'unsubscribe'))),
      ]);

      expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 404, 405]);
      expect(await scheduled(me)).toContain(me.userId);
    });

    it('stops the digests on a POST, reading the keys from Secrets Manager once', async () => {
      const answer = await unsubscribe(
        aUrlRequest('POST', '/unsubscribe', tokenFor(me, 'unsubscribe')),
      );

      expect(answer.statusCode).toBe(200);
      expect(answer.body).toContain('You will get no more digests.');
      expect(await scheduled(me)).not.toContain(me.userId);
      expect(sendingState((await store.getUser(me.userId)) as User, clock())).toMatchObject({
        state: 'unsubscribed',
        reason: 'unsubscribed',
      });
      expect(secrets.reads).toBe(1);
    });
  });

  describe('SES bounce and complaint notices', () => {
    it('count a transient bounce without stopping, and leave an unknown address alone', async () => {
      const outcomes = [
        await sesNotification(
          anSesEvent({
            eventType: 'Bounce',
            bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: you.email }] },
          }),
        ),
        await sesNotification(
          anSesEvent({
            eventType: 'Complaint',
            complaint: { complainedRecipients: [{ emailAddress: 'nobody@example.com' }] },
          }),
        ),
      ];

      expect(outcomes).toEqual([
        [{ status: 'soft-bounce-counted', userId: you.userId, inARow: 1 }],
        [{ status: 'unknown-address' }],
      ]);
      expect(await scheduled(you)).toContain(you.userId);
    });

    it('stop the digests of a user whose digest hard-bounced', async () => {
      const outcome = await sesNotification(
        anSesEvent({
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bouncedRecipients: [{ emailAddress: 'You@Example.com' }],
          },
        }),
      );

      expect(outcome).toEqual([{ status: 'stopped', userId: you.userId, reason: 'hard-bounce' }]);
      expect(await scheduled(you)).not.toContain(you.userId);
    });

    it('record the reason on the profile from the notification SNS hands the function (a saved event)', async () => {
      const event = JSON.parse(
        await readFile(
          fileURLToPath(
            new URL('../fixtures/ses/hard-bounce.sns-lambda-event.json', import.meta.url),
          ),
          'utf8',
        ),
      ) as SNSEvent;

      const outcome = await sesNotification(event);

      expect(outcome).toEqual([{ status: 'stopped', userId: me.userId, reason: 'hard-bounce' }]);
      expect(sendingState((await store.getUser(me.userId)) as User, clock())).toMatchObject({
        state: 'bouncing',
        reason: 'hard-bounce',
      });
    });
  });
});
