// (primary adapter: EventBridge schedule) --> run scheduler --> send digest --> (DynamoDB, SES)
import type { ScheduledEvent } from 'aws-lambda';
import { makeSqsClient } from '#adapters/aws-clients.ts';
import { readSchedulerConfig } from '#adapters/config.ts';
import { makeSqsDigestQueue } from '#adapters/sqs/digest-queue.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeDeployedDigests } from './shared/deployed-digests.ts';

const config = readSchedulerConfig(process.env);
const { clock, logger, store, replyTokens, sendDigest } = makeDeployedDigests(
  config,
  'schedule-digests',
);
const runScheduler = makeRunScheduler({
  store,
  // Up to INLINE_DIGEST_LIMIT due digests, this invocation sends them one after another; more go
  // on the digest queue, one message a user, to the SendDigests worker (docs/deploy.md, "What one
  // scheduler run can send").
  sendDigest,
  fanOut: {
    queue: makeSqsDigestQueue({
      sqs: await makeSqsClient({ region: config.region }),
      queueUrl: config.digestQueueUrl,
    }),
    inlineLimit: config.inlineDigestLimit,
  },
  clock,
  logger,
});

/** Invoked by the EventBridge rule at the start of every 15-minute slot; one run handles the slots since the last. */
export async function handler(_event: ScheduledEvent): Promise<Record<string, number>> {
  await replyTokens.refresh();
  const { slots, outcomes, queued } = await runScheduler();
  const summary: Record<string, number> = { slots: slots.length, queued };
  for (const outcome of outcomes) summary[outcome.status] = (summary[outcome.status] ?? 0) + 1;
  return summary;
}
