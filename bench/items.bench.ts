// What one logged message costs DynamoDB and Lambda, measured on real mail: every file of the
// shared corpus (the mailparser and bounce .eml files with the From and To rewritten to a
// registered user and one contact; the reply-quoting bodies wrapped as the user's replies) and the
// typical 8 KB message, through the real ingest path into dynalite in a process of its own.
// Prints, by item kind (its sort-key prefix), the byte size of the items each ingest wrote, counted
// by DynamoDB's rules (attribute names and values in UTF-8), the write request units that costs
// (1 per started KB of each item written, the larger of the item before and after for an update,
// and again for each index the item is in), and the CPU milliseconds of one ingest in this process.
import { readFileSync } from 'node:fs';
import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import type { InboundEnvelope } from '#domain/model.ts';
import { corpusFiles, corpusPath, corpusRuns } from '#test/support/corpus-files.ts';
import { median, report } from './measure.ts';
import {
  aBenchIngest,
  aTypicalMessage,
  benchClients,
  recordRequests,
  startDynaliteProcess,
} from './support.ts';

const domain = 'in.givefirst.test';
const table = 'bench';

/** The size DynamoDB bills an attribute value at (its item size rules). */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + valueSize({ N: s }), 0);
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

/** An item's size: each attribute's name and value. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (n, [name, value]) => n + Buffer.byteLength(name, 'utf8') + valueSize(value),
    0,
  );
}

/** A corpus message as the user's own: its From and To headers replaced, the rest as it came. */
function asTheUsers(raw: string, i: number): string {
  const split = raw.search(/\r?\n\r?\n/);
  const head = (split < 0 ? raw : raw.slice(0, split))
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => !/^(from|to|cc|message-id|sender|reply-to):/i.test(line));
  const body = split < 0 ? '' : raw.slice(split);
  return [
    'From: Me <me@example.com>',
    `To: Person ${i % 40} <p${i % 40}@x.example>`,
    `Message-ID: <corpus-${i}@mail.example.com>`,
    ...head,
  ]
    .join('\r\n')
    .concat(body);
}

/** A reply-quoting body as the user's reply. */
const asAReply = (body: string, i: number) =>
  [
    'From: Me <me@example.com>',
    `To: Person ${i % 40} <p${i % 40}@x.example>`,
    `Subject: Re: Thread ${i}`,
    `Date: ${new Date(Date.UTC(2026, 2, 1, 9) + i * 60_000).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <quote-${i}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');

function messages(): { name: string; raw: string }[] {
  const out = [{ name: 'typical 8 KB', raw: aTypicalMessage(1, ['Alice <alice@x.example>']) }];
  if (!corpusRuns) return out;
  let i = 0;
  for (const family of ['mailparser', 'bounces'] as const) {
    for (const file of corpusFiles(family, '.eml')) {
      const raw = readFileSync(corpusPath(family, file), 'latin1');
      out.push({ name: `${family}/${file}`, raw: asTheUsers(raw, i++) });
    }
  }
  for (const file of corpusFiles('reply-quoting', '.txt')) {
    out.push({
      name: `reply-quoting/${file}`,
      raw: asAReply(readFileSync(corpusPath('reply-quoting', file), 'utf8'), i++),
    });
  }
  return out;
}

export async function run(): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const { client, bare, destroy } = benchClients(dynamo.endpoint);
  try {
    await ensureTable(client, table);
    const { clock, rawMail, ingest } = await aBenchIngest(client, table, domain);
    const recorder = recordRequests(client);
    const read = async (key: Record<string, AttributeValue>) =>
      (await bare.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
    const sizes = new Map<string, number[]>();
    const wruPerMessage: number[] = [];
    const cpuMs: number[] = [];
    const outcomes = new Map<string, number>();
    let seq = 0;
    for (const { raw } of messages()) {
      const receiptId = `items${seq++}`;
      await rawMail.put(receiptId, Buffer.from(raw, 'latin1'));
      const envelope: InboundEnvelope = {
        receiptId,
        rawKey: receiptId,
        recipients: [`log@${domain}`],
        mailFrom: 'me@example.com',
        receivedAt: clock(),
        verdicts: { source: 'operator' },
      };
      let status = '';
      const before = process.cpuUsage();
      const seen = await recorder.during(async () => {
        const outcome = await ingest(envelope);
        status =
          outcome.status === 'rejected'
            ? `rejected: ${(outcome as { reason?: string }).reason ?? ''}`
            : outcome.status;
      });
      const used = process.cpuUsage(before);
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      if (status !== 'logged') continue;
      cpuMs.push((used.user + used.system) / 1000);
      let wru = 0;
      // Whether each item written is in an index (both project every attribute): a write to an
      // item that is or was in an index writes the index too.
      const inIndex = new Map<string, boolean>();
      for (const request of seen) {
        if (request.command !== 'PutItemCommand' && request.command !== 'UpdateItemCommand')
          continue;
        const input = request.input as {
          Item?: Record<string, AttributeValue>;
          Key?: Record<string, AttributeValue>;
        };
        const key = input.Key ?? {
          PK: input.Item?.PK ?? { S: '' },
          SK: input.Item?.SK ?? { S: '' },
        };
        const id = `${key.PK?.S}|${key.SK?.S}`;
        const item = (await read(key)) ?? input.Item;
        if (!item) continue;
        const size = itemSize(item);
        const kind = (key.SK?.S ?? '?').split('#')[0] ?? '?';
        sizes.set(kind, [...(sizes.get(kind) ?? []), size]);
        const indexed = (i: Record<string, AttributeValue> | undefined) =>
          ['GSI1PK', 'GSI2PK'].filter((k) => i?.[k]).length;
        const written = request.command === 'PutItemCommand' ? input.Item : item;
        const indexes = Math.max(indexed(written), inIndex.get(id) ? 1 : 0);
        inIndex.set(id, indexed(written) > 0);
        wru += Math.ceil(size / 1024) * (1 + indexes);
      }
      wruPerMessage.push(wru);
    }
    report('corpus and typical messages through ingest', Object.fromEntries(outcomes));
    for (const [kind, list] of [...sizes].sort()) {
      const sorted = [...list].sort((a, b) => a - b);
      report(`item ${kind}, bytes`, {
        written: list.length,
        median: median(list),
        p90: sorted[Math.floor(sorted.length * 0.9)] ?? 0,
        max: sorted.at(-1) ?? 0,
        over_1kb: list.filter((s) => s > 1024).length,
      });
    }
    const sortedWru = [...wruPerMessage].sort((a, b) => a - b);
    report('write request units per logged message', {
      messages: wruPerMessage.length,
      median: median(wruPerMessage),
      mean: wruPerMessage.reduce((a, b) => a + b, 0) / wruPerMessage.length,
      max: sortedWru.at(-1) ?? 0,
    });
    report('ingest CPU per logged message (this process: parse, rules, SDK)', {
      median_ms: median(cpuMs),
      p90_ms: [...cpuMs].sort((a, b) => a - b)[Math.floor(cpuMs.length * 0.9)] ?? 0,
      max_ms: Math.max(...cpuMs),
      // The whole process's peak, tsx and the corpus in memory included: an upper bound.
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    });
  } finally {
    destroy();
    await dynamo.close();
  }
}
