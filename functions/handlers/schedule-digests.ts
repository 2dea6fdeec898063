// (primary adapter: EventBridge schedule) --> run scheduler --> send digest --> (DynamoDB, SES)
import type { ScheduledEvent } from 'aws-lambda';
import { makeDocumentClient, makeSesClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readDigestConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import {
  replyTokenKeysOf,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRefreshHistory } from '#use-cases/read-history.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';

const config = readDigestConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'schedule-digests' });
const dynamo = makeDocumentClient({ region: config.region });
const store = new DynamoStore({ client: dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({ client: dynamo, tableName: config.tableName, clock });
const replyTokens = replyTokensPerInvocation(replyTokenKeysOf(config, clock));
const runScheduler = makeRunScheduler({
  store,
  // Inline: this one invocation sends every due digest, one after another; a run that runs out of
  // time leaves the rest to the next (docs/deploy.md, "What one scheduler run can send"). Past a
  // few thousand users in one slot, each due user would go on an SQS queue to a digest worker.
  sendDigest: makeSendDigest({
    store,
    relationships: makeRelationships({ store, steering, clock }),
    mailer: makeSesMailer({
      ses: makeSesClient({ region: config.region }),
      configurationSet: config.configurationSet,
    }),
    issueToken: replyTokens.tokens.issue,
    clock,
    logger,
    mailDomain: config.mailDomain,
    fromAddress: config.fromAddress,
    unsubscribeUrl: (token) => `${config.publicUrl}/unsubscribe?t=${token}`,
    refreshHistory: makeRefreshHistory({ store, clock, logger }),
  }),
  clock,
  logger,
});

/** Invoked by the EventBridge rule at the start of every 15-minute slot; one run handles the slots since the last. */
export async function handler(_event: ScheduledEvent): Promise<Record<string, number>> {
  await replyTokens.refresh();
  const { slots, outcomes } = await runScheduler();
  const summary: Record<string, number> = { slots: slots.length };
  for (const outcome of outcomes) summary[outcome.status] = (summary[outcome.status] ?? 0) + 1;
  return summary;
}
