// The local SMTP front door: messages per second accepted and logged, against smtp-server
// accepting and discarding the same messages over the same kind of connection.
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { startTestStack } from '../test/support/test-stack.ts';
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
    await throughput(discard.port, batch(0), 4);
    const logged: number[] = [];
    const discarded: number[] = [];
    for (let round = 1; round <= 3; round++) {
      logged.push(await throughput(stack.smtp.port, batch(round), 4));
      discarded.push(await throughput(discard.port, batch(round), 4));
    }
    const best = (xs: number[]) => Math.max(...xs);
    report('SMTP front door, 8 KB messages, 4 connections', {
      logged_per_s: best(logged),
      discarded_per_s: best(discarded),
      share_of_bare: best(logged) / best(discarded),
    });
  } finally {
    await discard.close();
    await stack.stop();
  }
}
