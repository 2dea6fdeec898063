import { silentLogger } from '#adapters/logger.ts';
import type { Clock } from '#domain/ports.ts';
import { makeLocalDigestSender } from '#local/digest-sender.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import type { TestStack } from './test-stack.ts';

export interface SentEmail {
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
}

/** The digest scheduler and sender of a test stack, on a clock the test moves itself. */
export async function startDigestRunner(stack: TestStack, clock: Clock) {
  const sender = await makeLocalDigestSender(stack.services, {
    dataDir: stack.config.dataDir,
    mailDomain: stack.config.mailDomain,
    sesEndpoint: stack.ses.endpoint,
    publicUrl: stack.publicUrl,
    clock,
    logger: silentLogger,
  });
  const runScheduler = makeRunScheduler({
    store: stack.services.store,
    sendDigest: sender.sendDigest,
    clock,
    logger: silentLogger,
  });
  return {
    sendDigest: sender.sendDigest,
    runScheduler,
    /** Every email the SES emulator received, oldest first. */
    sent: async () =>
      ((await (await fetch(`${stack.ses.endpoint}/store`)).json()) as { emails: SentEmail[] })
        .emails,
    close: sender.close,
  };
}
