// The local SMTP front door: messages per second accepted and logged, against the same messages
// ingested in process (raw mail stored, then ingest, as the door does, 4 at a time), and against
// smtp-server accepting and discarding them over the same kind of connection.
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { startTestStack, type TestStack } from '../test/support/test-stack.ts';
import { report } from './measure.ts';
import { aTypicalMessage } from './support.ts';

const domain = 'in.givefirst.test';

async function discardingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Messages per second stored and ingested in process, `concurrency` at a time: the door's work minus SMTP. */
async function inProcess(
  stack: TestStack,
  messages: string[],
  concurrency: number,
): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages.length) {
        const i = next++;
        const receiptId = `inproc${inProcessSeq++}`;
        const rawKey = `inbound/bench/${receiptId}.eml`;
        await stack.services.rawMail.put(rawKey, Buffer.from(messages[i] as string));
        const outcome = await stack.services.ingest({
          receiptId,
          rawKey,
          recipients: [`log@${domain}`],
          mailFrom: 'me@example.com',
          receivedAt: new Date(),
          verdicts: { source: 'relaxed' },
        });
        if (outcome.status !== 'logged') throw new Error(`not logged: ${JSON.stringify(outcome)}`);
      }
    }),
  );
  return messages.length / ((performance.now() - start) / 1000);
}
let inProcessSeq = 0;

async function throughput(port: number, messages: string[], concurrency: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: concurrency,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages.length) {
        const raw = messages[next++] as string;
        await transport.sendMail({
          envelope: { from: 'me@example.com', to: [`log@${domain}`] },
          raw,
        });
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return messages.length / seconds;
}

export async function run(): Promise<void> {
  const stack = await startTestStack({ mailDomain: domain });
  const discard = await discardingServer();
  try {
    await stack.services.registerUser({ email: 'me@example.com', timeZone: 'Europe/Berlin' });
    const batch = (round: number) =>
      Array.from({ length: 150 }, (_, i) =>
        aTypicalMessage(round * 1000 + i, [`Friend <f${i}@x.example>`]),
      );
    await throughput(stack.smtp.port, batch(0), 4);
    await inProcess(stack, batch(10), 4);
    await throughput(discard.port, batch(0), 4);
    const logged: number[] = [];
    const ingested: number[] = [];
    const discarded: number[] = [];
    for (let round = 1; round <= 3; round++) {
      logged.push(await throughput(stack.smtp.port, batch(round), 4));
      ingested.push(await inProcess(stack, batch(round + 10), 4));
      discarded.push(await throughput(discard.port, batch(round), 4));
    }
    const best = (xs: number[]) => Math.max(...xs);
    report(
      'SMTP front door, 8 KB messages, 4 connections',
      {
        logged_per_s: best(logged),
        in_process_per_s: best(ingested),
        time_ratio: best(ingested) / best(logged),
      },
      '<= 1.25x in-process ingest',
    );
    report('  smtp-server accepting and discarding them', {
      discarded_per_s: best(discarded),
      logged_share: best(logged) / best(discarded),
    });
  } finally {
    await discard.close();
    await stack.stop();
  }
}
