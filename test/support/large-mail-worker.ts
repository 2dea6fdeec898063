// Run in a child process by runLargeMailWorker: `node --expose-gc --import tsx
// large-mail-worker.ts <ingest|parse> <message file>`. Prints one JSON line (a LargeMailRun).
//
// ingest: the local wiring (in-memory dynalite, DynamoStore, FsRawMailStore in a temporary
//   folder), the user registered, then the file stored through the raw-mail store and ingested.
// parse:  mailparser alone on the same file (bareParse), for comparison.
// postal-mime: postal-mime alone on the same file, the alternative parser weighed against it.
//
// The baseline is the resident set after setup and a collection; the peak is the process's
// whole-life maximum, so it also covers anything setup itself cost.
import '#local/quiet-sdk-warning.ts';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '#adapters/logger.ts';
import { makeLocalServices } from '#local/services.ts';
import { startTestTable } from '../support/test-table.ts';
import { bareParse, type LargeMailRun, postalMimeParse, type WorkerMode } from './large-mail.ts';

const mailDomain = 'in.givefirst.test';
const [mode, messagePath] = process.argv.slice(2) as [WorkerMode, string];

function baselineRss(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().rss;
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function ingestRun(): Promise<LargeMailRun> {
  const table = await startTestTable();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-large-'));
  try {
    const clock = () => new Date('2026-03-02T12:00:00Z');
    const services = makeLocalServices({
      client: table.client,
      tableName: table.tableName,
      dataDir,
      mailDomain,
      clock,
      logger: silentLogger,
    });
    const registered = await services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!registered.ok) throw new Error(registered.problems.join('; '));

    const baselineRssBytes = baselineRss();
    const start = performance.now();
    await services.rawMail.put('raw/large-1', createReadStream(messagePath));
    const outcome = await services.ingest({
      receiptId: 'large-1',
      rawKey: 'raw/large-1',
      recipients: [`log@${mailDomain}`],
      mailFrom: 'me@example.com',
      receivedAt: clock(),
      verdicts: { source: 'operator' },
    });
    const elapsedMs = performance.now() - start;
    const peakRssBytes = peakRss();
    const contacts = (await services.relationships(registered.user)).ledger.map((c) => c.address);
    return { mode, outcome, contacts, baselineRssBytes, peakRssBytes, elapsedMs };
  } finally {
    await table.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function parseRun(): Promise<LargeMailRun> {
  const baselineRssBytes = baselineRss();
  const start = performance.now();
  await (mode === 'postal-mime' ? postalMimeParse : bareParse)(messagePath);
  const elapsedMs = performance.now() - start;
  return { mode, baselineRssBytes, peakRssBytes: peakRss(), elapsedMs };
}

if (mode !== 'ingest' && mode !== 'parse' && mode !== 'postal-mime')
  throw new Error(`unknown mode ${mode}`);
if (!messagePath) throw new Error('no message file given');
const result = mode === 'ingest' ? await ingestRun() : await parseRun();
process.stdout.write(`${JSON.stringify(result)}\n`);
