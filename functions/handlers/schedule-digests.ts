// (primary adapter: EventBridge schedule) --> run scheduler --> send digest --> (DynamoDB, SES)
import type { ScheduledEvent } from 'aws-lambda';
import { makeDocumentClient, makeSqsClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readSchedulerConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import {
  replyTokenKeysOf,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { makeSqsDigestQueue } from '#adapters/sqs/digest-queue.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeDeployedSendDigest } from './shared/deployed-send-digest.ts';

const config = readSchedulerConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'schedule-digests' });
const dynamo = makeDocumentClient({ region: config.region });
const store = new DynamoStore({ client: dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({ client: dynamo, tableName: config.tableName, clock });
const replyTokens = replyTokensPerInvocation(replyTokenKeysOf(config, clock));
const runScheduler = makeRunScheduler({
  store,
  // Up to INLINE_DIGEST_LIMIT due digests, this invocation sends them one after another; more go
  // on the digest queue, one message a user, to the SendDigests worker (docs/deploy.md, "What one
  // scheduler run can send").
  sendDigest: makeDeployedSendDigest(config, {
    store,
    steering,
    issueToken: replyTokens.tokens.issue,
    clock,
    logger,
  }),
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
