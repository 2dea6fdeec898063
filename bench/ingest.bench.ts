// Ingest of a typical 8 KB message end to end into dynalite, against a bare mailparser parse plus
// the same number of bare DynamoDB requests; and the requests one logged message costs.

import { Readable } from 'node:stream';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { simpleParser } from 'mailparser';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import type { InboundEnvelope } from '#domain/model.ts';
import { startDynalite } from '#local/dynalite-server.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { compare, report } from './measure.ts';
import {
  aTypicalMessage,
  benchClients,
  countRequests,
  MemoryRawMail,
  recordRequests,
  type SeenRequest,
} from './support.ts';

const domain = 'in.givefirst.test';

/** n recipients; message i goes to people out of a circle of 40, so contacts recur as they do. */
const recipients = (n: number, i = 0) =>
  Array.from({ length: n }, (_, k) => `Person ${(i + k) % 40} <p${(i + k) % 40}@x.example>`);

/** Sends a recorded request again through a bare client, its partition keys moved under `prefix`. */
function sendBare(bare: DynamoDBClient, request: SeenRequest, prefix: string): Promise<unknown> {
  const input = structuredClone(request.input) as Record<string, Record<string, { S?: string }>>;
  for (const part of ['Key', 'Item']) {
    const pk = input[part]?.PK;
    if (pk?.S) pk.S = `${prefix}${pk.S}`;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the recorded body is the command's own input shape
  const args = input as any;
  switch (request.command) {
    case 'PutItemCommand':
      return bare.send(new PutItemCommand(args));
    case 'GetItemCommand':
      return bare.send(new GetItemCommand(args));
    case 'UpdateItemCommand':
      return bare.send(new UpdateItemCommand(args));
    case 'DeleteItemCommand':
      return bare.send(new DeleteItemCommand(args));
    case 'QueryCommand':
      return bare.send(new QueryCommand(args));
    default:
      throw new Error(`no bare replay for ${request.command}`);
  }
}

export async function run(): Promise<void> {
  const dynamo = await startDynalite();
  const { client, bare, destroy } = benchClients(dynamo.endpoint);
  try {
    await ensureTable(client, 'bench');
    const clock = () => new Date('2026-03-02T12:00:00Z');
    const store = new DynamoStore({ client, tableName: 'bench', clock });
    await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    const rawMail = new MemoryRawMail();
    const ingest = makeIngestEmail({
      store,
      rawMail,
      parseMail,
      mailDomain: domain,
      logger: silentLogger,
    });
    const requests = countRequests(client);
    let seq = 0;
    const envelopeFor = async (raw: string): Promise<InboundEnvelope> => {
      const receiptId = `bench${seq++}`;
      await rawMail.put(receiptId, Buffer.from(raw));
      return {
        receiptId,
        rawKey: receiptId,
        recipients: [`log@${domain}`],
        mailFrom: 'me@example.com',
        receivedAt: clock(),
        verdicts: { source: 'operator' },
      };
    };

    const perMessage: Record<number, Record<string, number>> = {};
    for (const n of [1, 5]) {
      const envelope = await envelopeFor(aTypicalMessage(100_000 + n, recipients(n)));
      requests.reset();
      const outcome = await ingest(envelope);
      if (outcome.status !== 'logged')
        throw new Error(`bench message not logged: ${JSON.stringify(outcome)}`);
      perMessage[n] = requests.byOperation();
      report(`DynamoDB requests per logged message, ${n} recipient${n > 1 ? 's' : ''}`, {
        requests: requests.total(),
        ...requests.byOperation(),
      });
    }

    // The baseline makes the same number of requests of the same kinds, bare: no conditions, no
    // expressions beyond one SET, small items.
    const mix = perMessage[1] ?? {};
    const n = Object.values(mix).reduce((a, b) => a + b, 0);
    const bareRequests = async (i: number) => {
      const key = (r: number) => ({ PK: { S: `BARE#${i}` }, SK: { S: `R#${r}` } });
      let r = 0;
      for (let k = 0; k < (mix.PutItemCommand ?? 0); k++) {
        await bare.send(
          new PutItemCommand({
            TableName: 'bench',
            Item: { ...key(r++), v: { S: 'x'.repeat(200) } },
          }),
        );
      }
      for (let k = 0; k < (mix.GetItemCommand ?? 0); k++) {
        await bare.send(new GetItemCommand({ TableName: 'bench', Key: key(k) }));
      }
      for (let k = 0; k < (mix.UpdateItemCommand ?? 0); k++) {
        await bare.send(
          new UpdateItemCommand({
            TableName: 'bench',
            Key: key(r++),
            UpdateExpression: 'SET v = :v',
            ExpressionAttributeValues: { ':v': { S: 'y'.repeat(200) } },
          }),
        );
      }
    };
    const messages = Array.from({ length: 260 }, (_, i) => aTypicalMessage(i, recipients(1, i)));
    const bytes = Buffer.byteLength(messages[0] ?? '');
    const envelopes = await Promise.all(messages.map(envelopeFor));
    const result = await compare(
      200,
      60,
      (i) => ingest(envelopes[i] as InboundEnvelope),
      async (i) => {
        await simpleParser(Readable.from([Buffer.from(messages[i] as string)]));
        await bareRequests(i);
      },
    );
    report(
      `ingest ${(bytes / 1024).toFixed(1)} KB message vs parse + the same ${n} bare requests`,
      { ingest_ms: result.subject, baseline_ms: result.baseline, ratio: result.ratio },
      '<= 1.3x',
    );

    // Second view: the very requests ingest made, replayed through a bare client on fresh keys
    // (same expressions and conditions, so the server does the same work). What is left is
    // givefirst's own cost: parsing its way, rules, building items, marshalling.
    const recorder = recordRequests(client);
    const captured: SeenRequest[][] = [];
    for (let i = 0; i < 260; i++) {
      const envelope = await envelopeFor(aTypicalMessage(10_000 + i, recipients(1, i)));
      captured.push(await recorder.during(() => ingest(envelope)));
    }
    const replay = async (i: number) => {
      for (const request of captured[i] ?? []) {
        // A condition that failed when ingest sent it fails again here: the same work.
        await sendBare(bare, request, `R${i}#`).catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
      }
    };
    const again = Array.from({ length: 260 }, (_, i) =>
      aTypicalMessage(20_000 + i, recipients(1, i)),
    );
    const againEnvelopes = await Promise.all(again.map(envelopeFor));
    const own = await compare(
      200,
      60,
      (i) => ingest(againEnvelopes[i] as InboundEnvelope),
      async (i) => {
        await simpleParser(Readable.from([Buffer.from(again[i] as string)]));
        await replay(i);
      },
    );
    report(
      'ingest vs parse + its own requests replayed bare',
      { ingest_ms: own.subject, baseline_ms: own.baseline, ratio: own.ratio },
      '<= 1.3x',
    );
  } finally {
    destroy();
    await dynamo.close();
  }
}
