// What one digest send costs in time on the local stack: the send-digest use case, as the scheduler
// and the digest worker run it, against dynalite in a process of its own and the SES emulator
// (aws-ses-v2-local) over HTTP. Each user has a history of 300 logged messages with 30 people, so
// each digest has items to show. Prints wall and CPU milliseconds per digest and the DynamoDB
// requests one digest makes; docs/deploy.md derives the scheduler's inline limit and the worker's
// concurrency from them.
import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { makeSesClient } from '#adapters/aws-clients.ts';
import { DynamoStore, messageItem } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { keys } from '#adapters/dynamodb/table-design.ts';
import { silentLogger } from '#adapters/logger.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import { shortKey } from '#domain/ids.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { startSesEmulator } from '#local/ses-emulator.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';
import { itemSize } from './items.bench.ts';
import { median, report } from './measure.ts';
import {
  aMessageHistory,
  benchClients,
  countRequests,
  startDynaliteProcess,
  writeAll,
} from './support.ts';

const table = 'bench';
const users = 60;
const warmup = 10;
/** Thursday 2024-06-20, 08:02 in Berlin: every user below is due. */
const now = new Date('2024-06-20T06:02:00Z');
const clock = () => now;

export async function run(): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const ses = await startSesEmulator(0);
  const { client, bare, destroy } = benchClients(dynamo.endpoint);
  const sesClient = makeSesClient({ region: 'local', endpoint: ses.endpoint });
  try {
    await ensureTable(client, table);
    const store = new DynamoStore({ client, tableName: table, clock });
    const steering = new DynamoSteeringStore({ client, tableName: table, clock });
    const register = makeRegisterUser({ users: store, clock });
    const emails = Array.from({ length: users }, (_, i) => `u${i}@bench.example`);
    for (const email of emails) {
      await register({ email, timeZone: 'Europe/Berlin' });
      const history = aMessageHistory(shortKey('user', email), { messages: 300, contacts: 30 });
      await writeAll(
        client,
        table,
        history.map((m) => messageItem(m)),
      );
    }
    const tokens = makeTokens({ keys: [{ id: 1, secret: randomBytes(32) }], signWith: 1 });
    const sendDigest = makeSendDigest({
      store,
      relationships: makeRelationships({ store, steering, clock }),
      mailer: makeSesMailer({ ses: sesClient }),
      issueToken: (claims) => tokens.issue(claims),
      clock,
      logger: silentLogger,
      mailDomain: 'in.givefirst.test',
      unsubscribeUrl: (token) => `https://givefirst.test/unsubscribe?t=${token}`,
    });
    const requests = countRequests(client as DynamoDBDocumentClient);
    const wall: number[] = [];
    const cpu: number[] = [];
    let sent = 0;
    let items = 0;
    for (const [i, email] of emails.entries()) {
      const user = await store.getUser(shortKey('user', email));
      if (!user) throw new Error(`bench user ${email} not registered`);
      if (i === warmup) requests.reset();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const outcome = await sendDigest(user);
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      if (outcome.status !== 'sent') throw new Error(`digest not sent: ${outcome.status}`);
      if (i >= warmup) {
        wall.push(ms);
        cpu.push((used.user + used.system) / 1000);
        sent++;
        items += outcome.items;
      }
    }
    const byOperation = requests.byOperation();
    // The items a digest writes, by DynamoDB's size rules: the digest record and the profile the
    // scheduler updates with the next slot (in both indexes).
    const sizeOf = async (key: Record<string, string>) => {
      const { Item } = await bare.send(
        new GetItemCommand({ TableName: table, Key: marshall(key) }),
      );
      return Item ? itemSize(Item) : 0;
    };
    const last = shortKey('user', emails.at(-1) ?? '');
    report('items a digest writes, bytes', {
      digest_record: await sizeOf(keys.digest(last, '2024-06-20')),
      user_profile: await sizeOf(keys.user(last)),
      let_go_shown: await sizeOf(keys.letGoShown(last)),
    });
    report(`one digest sent through dynalite and the SES emulator, ${sent} users`, {
      wall_ms: median(wall),
      cpu_ms: median(cpu),
      items: items / sent,
      requests: requests.total() / sent,
      ...Object.fromEntries(Object.entries(byOperation).map(([k, v]) => [k, v / sent])),
    });
  } finally {
    destroy();
    sesClient.destroy();
    await ses.close();
    await dynamo.close();
  }
}
