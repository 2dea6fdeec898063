import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoStore, messageItem, threadProjection } from '#adapters/dynamodb/dynamodb-store.ts';
import { keys, prefixes } from '#adapters/dynamodb/table-design.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import type { LoggedMessage, User } from '#domain/model.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';

/** Counts every request a client sends, by operation. */
export function countRequests(client: DynamoDBDocumentClient) {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? 'unknown');
      counts.set(op, (counts.get(op) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return {
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byOperation: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}

/**
 * Counts the items DynamoDB reports for each Query: `Count` (returned, after any filter) and
 * `ScannedCount` (read from the table or index, what a Query is charged for), read from each
 * response as it comes back through the client's middleware.
 */
export function countQueryItems(client: DynamoDBDocumentClient) {
  let returned = 0;
  let scanned = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        const output = result.output as { Count?: number; ScannedCount?: number };
        returned += output.Count ?? 0;
        scanned += output.ScannedCount ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'countQueryItems' },
  );
  return { returned: () => returned, scanned: () => scanned };
}

/**
 * Writes items with BatchWrite, 25 a request and `inFlight` requests at a time, sending again
 * whatever comes back unprocessed.
 */
export async function writeAll(
  client: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
  inFlight = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + 25);
      next += 25;
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await client.send(
          new BatchWriteCommand({ RequestItems: { [table]: requests } }),
        );
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** A request body as text, without calling string methods on the SDK's byte adapter. */
const utf8 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

export interface SeenRequest {
  command: string;
  input: Record<string, unknown>;
}

/**
 * Records the wire input of every request a document client sends (its JSON body), so a
 * benchmark can send the very same requests again through a bare client.
 */
export function recordRequests(client: DynamoDBDocumentClient) {
  let seen: SeenRequest[] | null = null;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      if (seen && body !== undefined) {
        seen.push({
          command: String(context.commandName),
          input: JSON.parse(utf8(body as Uint8Array)),
        });
      }
      return next(args);
    },
    { step: 'build', name: 'recordRequests' },
  );
  return {
    async during<T>(fn: () => Promise<T>): Promise<SeenRequest[]> {
      seen = [];
      await fn();
      const out = seen;
      seen = null;
      return out;
    },
  };
}

import { MemoryRawMail } from '#test/support/memory-raw-mail.ts';

export { MemoryRawMail };

const prose =
  'Thanks again for taking the time to walk me through the onboarding flow last week. I have been thinking about ' +
  'what you said regarding the first-run experience and I put together a few notes below. ';

/**
 * A typical message of about `bytes` bytes from the user to the given recipients, sent i minutes
 * after a start: most 8 KB emails are replies, so a short new text above a quoted thread.
 */
export function aTypicalMessage(i: number, to: string[], bytes = 8 * 1024): string {
  const date = new Date(Date.UTC(2026, 2, 2, 9, 15) + i * 60_000)
    .toUTCString()
    .replace('GMT', '+0000');
  const body: string[] = [
    'Hi there,',
    '',
    'Thanks for the notes on the onboarding flow. I have added the two screens we discussed and',
    'moved the pricing question to the end. Could you have a look before Friday?',
    '',
    'Best,',
    'Me',
    '',
    'On Fri, 27 Feb 2026 at 16:02, Alice <alice@x.example> wrote:',
  ];
  while (body.join('\r\n').length < bytes - 900) body.push(`> ${prose}`);
  return [
    'From: Me <me@example.com>',
    `To: ${to.join(', ')}`,
    `Subject: Re: Notes on onboarding ${i}`,
    `Date: ${date}`,
    `Message-ID: <bench-${i}-${to.length}@mail.example.com>`,
    `In-Reply-To: <notes-${i}@x.example>`,
    `References: <notes-${i}@x.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body.join('\r\n'),
    '',
  ].join('\r\n');
}

/**
 * dynalite in a child process, as DynamoDB is another machine in production: the server's work
 * then does not share this process's heap and collector with the code being measured.
 */
export async function startDynaliteProcess(): Promise<{
  endpoint: string;
  close(): Promise<void>;
}> {
  const { spawn } = await import('node:child_process');
  const script =
    "const { default: dynalite } = await import('dynalite');" +
    'const s = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });' +
    "s.listen(0, '127.0.0.1', () => console.log(s.address().port));";
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const tag = { by: 'tag' as const };

/**
 * A user's logged mail: threads of five (a question, a reply or a nudge, a follow-up …) with
 * `contacts` people in turn, one thread every four hours from June 2024, `messages` in all.
 */
export function aMessageHistory(
  userId: string,
  size: { messages: number; contacts: number },
): LoggedMessage[] {
  const perThread = 5;
  const out: LoggedMessage[] = [];
  const start = Date.parse('2024-06-01T08:00:00Z');
  for (let t = 0; out.length < size.messages; t++) {
    const who = `p${t % size.contacts}@people${(t % size.contacts) % 97}.example`;
    const root = `t${t}-0@mail.example.com`;
    const at = (k: number) => new Date(start + t * 4 * 3_600_000 + k * 86_400_000).toISOString();
    const base = { userId, subject: `Topic ${t}` };
    // Some of the user's messages promise, thank, ask or give, as real mail does.
    const signals =
      [{ promise: tag }, { thanks: tag }, { ask: tag }, { gave: tag }, {}, {}][t % 6] ?? {};
    out.push(
      sent(at(0), [asked(who, `Person ${t % size.contacts}`)], {
        ...base,
        messageId: root,
        signals,
      }),
    );
    for (let k = 1; k < perThread; k++) {
      const id = `t${t}-${k}@mail.example.com`;
      const links = { messageId: id, inReplyTo: [root], references: [root] };
      out.push(
        k % 2 === 1 && t % 3 !== 0
          ? received(at(k), who, { ...base, ...links, subject: `Re: Topic ${t}` })
          : sent(at(k), [told(who)], { ...base, ...links, subject: `Re: Topic ${t}` }),
      );
    }
  }
  return out.slice(0, size.messages);
}

/**
 * Writes a user's generated history (`aMessageHistory`) and returns how many messages it holds.
 * The generated messages are let go once written: a view is then timed in a process holding only
 * its own work, as a function's is (holding them slowed the history bench's digests by about 30%).
 */
export async function seedHistory(
  client: DynamoDBDocumentClient,
  table: string,
  userId: string,
  size: { messages: number; contacts: number },
): Promise<number> {
  const messages = aMessageHistory(userId, size);
  await writeAll(
    client,
    table,
    messages.map((m) => messageItem(m)),
  );
  return messages.length;
}

/**
 * The bare Query a view is measured against: every message item of a user, through a low-level
 * client, with the same projection the view reads, all pages.
 */
export async function bareMessagesQuery(
  bare: DynamoDBClient,
  tableName: string,
  userId: string,
): Promise<void> {
  let start: Record<string, never> | undefined;
  do {
    const page = await bare.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
        ExpressionAttributeValues: {
          ':p': { S: keys.user(userId).PK },
          ':s': { S: prefixes.messages },
        },
        ...threadProjection,
        ExclusiveStartKey: start,
      }),
    );
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
}

/** The two clients a benchmark needs on one endpoint: givefirst's document client, and a bare one. */
export function benchClients(endpoint: string) {
  const client = makeDocumentClient({ region: 'local', endpoint });
  const bare = new DynamoDBClient({
    region: 'local',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    bare,
    destroy() {
      client.destroy();
      bare.destroy();
    },
  };
}

/** The user whose history the view benches read: Berlin, digest at 08:00. */
export function aBenchUser(createdAt: Date): User {
  return {
    userId: 'bench-user',
    email: 'me@example.com',
    aliases: [],
    timeZone: 'Europe/Berlin',
    digestAt: '08:00',
    neverLog: [],
    createdAt: createdAt.toISOString(),
  };
}

/**
 * The ingest the benches run: the real use case over a store with me@example.com registered (Berlin),
 * raw mail in memory, at a fixed moment.
 */
export async function aBenchIngest(
  client: DynamoDBDocumentClient,
  table: string,
  mailDomain: string,
) {
  const clock = () => new Date('2026-03-02T12:00:00Z');
  const store = new DynamoStore({ client, tableName: table, clock });
  await makeRegisterUser({ users: store, clock })({
    email: 'me@example.com',
    timeZone: 'Europe/Berlin',
  });
  const rawMail = new MemoryRawMail();
  const ingest = makeIngestEmail({ store, rawMail, parseMail, mailDomain, logger: silentLogger });
  return { clock, store, rawMail, ingest };
}
