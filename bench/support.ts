import { Readable } from 'node:stream';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RawMailStore } from '#domain/ports.ts';

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

/** Raw mail kept in memory, so a benchmark measures ingest rather than the disk. */
export class MemoryRawMail implements RawMailStore {
  readonly #items = new Map<string, Buffer>();
  async put(key: string, raw: Readable | Buffer): Promise<void> {
    if (Buffer.isBuffer(raw)) {
      this.#items.set(key, raw);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    this.#items.set(key, Buffer.concat(chunks));
  }
  async open(key: string): Promise<Readable> {
    const raw = this.#items.get(key);
    if (!raw) throw new Error(`no raw mail ${key}`);
    return Readable.from([raw]);
  }
}

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
