// Large messages: peak memory of ingest against mailparser alone, each in its own process (and of
// postal-mime alone, the parser the bundle bench weighs against mailparser); and
// ingest time per MB against a bare streaming parse of the same file, alternating in this process.
// ratio is the whole time; ratio_beyond_fixed sets aside what any message costs (fixed_ms, an 8 KB
// message's ingest less its parse: DynamoDB round trips and the rules) and compares the per-MB slopes.

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { silentLogger } from '#adapters/logger.ts';
import type { InboundEnvelope } from '#domain/model.ts';
import { makeLocalServices } from '#local/services.ts';
import {
  bareParse,
  type LargeMailRun,
  type LargeMessageOptions,
  largeMessageChunks,
  MB,
  runLargeMailWorker,
  type WorkerMode,
  writeLargeMessage,
} from '#test/support/large-mail.ts';
import { startTestTable } from '#test/support/test-table.ts';
import { compare, median, report } from './measure.ts';
import { aTypicalMessage } from './support.ts';

const domain = 'in.givefirst.test';
const memoryRounds = 3;
/** Rounds of the time comparison per message size: more for the small one, which is noisier. */
const timeRounds: Record<number, number> = { 10: 15, 40: 7 };
const timeWarmup = 1;

const inMB = (bytes: number) => bytes / MB;

const workerModes = ['ingest', 'parse', 'postal-mime'] as const;
/** postal-mime is the parser the bundle bench weighs against mailparser's load. */
const workerLabels: Record<WorkerMode, string> = {
  ingest: 'ingest',
  parse: 'bare mailparser',
  'postal-mime': '  postal-mime alone (the alternative parser)',
};

/** Runs ingest and the bare parse in child processes, alternately, and reports each's medians. */
async function peakMemory(dir: string, label: string, options: LargeMessageOptions) {
  const message = await writeLargeMessage(path.join(dir, 'memory.eml'), options);
  const runs: Record<WorkerMode, LargeMailRun[]> = { ingest: [], parse: [], 'postal-mime': [] };
  for (let i = 0; i < memoryRounds; i++) {
    for (const mode of workerModes) {
      const run = await runLargeMailWorker(mode, message.path);
      if (mode === 'ingest' && run.outcome?.status !== 'logged') {
        throw new Error(`large message not logged: ${JSON.stringify(run.outcome)}`);
      }
      runs[mode].push(run);
    }
  }
  for (const mode of workerModes) {
    const peak = median(runs[mode].map((r) => r.peakRssBytes));
    const baseline = median(runs[mode].map((r) => r.baselineRssBytes));
    const growth = median(runs[mode].map((r) => r.peakRssBytes - r.baselineRssBytes));
    report(
      `${workerLabels[mode]} peak RSS, ${label}`,
      {
        peak_MB: inMB(peak),
        baseline_MB: inMB(baseline),
        over_baseline_MB: inMB(growth),
        x_message: growth / message.bytes,
      },
      mode === 'ingest' ? '<= 2x message, peak < 512 MB' : undefined,
    );
  }
  await rm(message.path, { force: true });
}

/** Ingest against a bare parse of the very file ingest reads, alternating; per MB of message. */
async function timePerMB(dir: string, sizeMB: number) {
  const table = await startTestTable();
  const dataDir = path.join(dir, `time-${sizeMB}`);
  try {
    const clock = () => new Date('2026-03-02T12:00:00Z');
    const services = makeLocalServices({
      client: table.client,
      tableName: table.tableName,
      dataDir,
      mailDomain: domain,
      clock,
      logger: silentLogger,
    });
    const registered = await services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!registered.ok) throw new Error(registered.problems.join('; '));

    // A distinct message per round, so every ingest logs a new message rather than a duplicate.
    const envelopes: InboundEnvelope[] = [];
    const bytes = sizeMB * MB;
    const rounds = timeRounds[sizeMB] ?? 7;
    for (let i = 0; i < rounds + timeWarmup; i++) {
      const key = `raw/large-${sizeMB}-${i}`;
      const chunks = largeMessageChunks({
        totalBytes: sizeMB * MB,
        messageId: `<large-${sizeMB}-${i}@mail.example.com>`,
      });
      await services.rawMail.put(key, Readable.from(chunks));
      envelopes.push({
        receiptId: `large-${sizeMB}-${i}`,
        rawKey: key,
        recipients: [`log@${domain}`],
        mailFrom: 'me@example.com',
        receivedAt: clock(),
        verdicts: { source: 'operator' },
      });
    }
    // FsRawMailStore keeps a key as a file under raw-mail/: the bare parse reads a copy of that
    // same file, as ingest removes a logged message's raw mail.
    const rawFile = (key: string) => path.join(dataDir, 'raw-mail', key);
    const bareCopy = async (key: string) => {
      await copyFile(rawFile(key), `${rawFile(key)}-bare`);
      return `${rawFile(key)}-bare`;
    };
    const bareFiles = await Promise.all(envelopes.map((e) => bareCopy(e.rawKey)));
    const fileOf = (i: number) => bareFiles[i] ?? '';

    // The fixed cost of a message whatever its size (DynamoDB round trips, the rules): an 8 KB
    // message's ingest against its parse, on the same wiring.
    const small: InboundEnvelope[] = [];
    for (let i = 0; i < 40; i++) {
      const key = `raw/small-${sizeMB}-${i}`;
      const raw = aTypicalMessage(sizeMB * 1000 + i, ['Alice Example <alice@partner.example>']);
      await services.rawMail.put(key, Buffer.from(raw));
      small.push({
        ...(envelopes[0] as InboundEnvelope),
        receiptId: `small-${sizeMB}-${i}`,
        rawKey: key,
      });
    }
    const smallFiles = await Promise.all(small.map((e) => bareCopy(e.rawKey)));
    const fixed = await compare(
      30,
      10,
      (i) => services.ingest(small[i] as InboundEnvelope),
      (i) => bareParse(smallFiles[i] ?? ''),
    );

    const result = await compare(
      rounds,
      timeWarmup,
      async (i) => {
        const outcome = await services.ingest(envelopes[i] as InboundEnvelope);
        if (outcome.status !== 'logged') throw new Error(`not logged: ${JSON.stringify(outcome)}`);
      },
      (i) => bareParse(fileOf(i)),
    );
    report(
      `ingest ${sizeMB} MB message vs bare streaming parse`,
      {
        ingest_ms_per_MB: result.subject / inMB(bytes),
        parse_ms_per_MB: result.baseline / inMB(bytes),
        ratio: result.ratio,
        fixed_ms: fixed.subject - fixed.baseline,
        ratio_beyond_fixed: (result.subject - fixed.subject) / (result.baseline - fixed.baseline),
      },
      '<= 1.2x',
    );
  } finally {
    await table.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-large-bench-'));
  try {
    await peakMemory(dir, '40 MB, 25 + 10 MB attachments', {
      totalBytes: 40 * MB,
      messageId: '<large-memory@mail.example.com>',
    });
    // A long text body is not an attachment: mailparser keeps it, and the rules then read it all.
    await peakMemory(dir, '8 MB text/plain, a long quoted thread', {
      totalBytes: 8 * MB,
      messageId: '<long-text-memory@mail.example.com>',
      shape: 'long-text',
    });
    for (const sizeMB of [10, 40]) await timePerMB(dir, sizeMB);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
