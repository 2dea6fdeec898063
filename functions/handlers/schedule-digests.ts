// (primary adapter: EventBridge schedule) --> run scheduler --> send digest --> (DynamoDB, SES)
import type { ScheduledEvent } from 'aws-lambda';
import { makeDigestClients } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readDigestConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';

const config = readDigestConfig(process.env);
const clients = makeDigestClients(config.region);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'schedule-digests' });
const store = new DynamoStore({ client: clients.dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({
  client: clients.dynamo,
  tableName: config.tableName,
  clock,
});
const tokens = makeTokens(config.replyTokenKeys);
const runScheduler = makeRunScheduler({
  store,
  // Inline: this one invocation sends every due digest. When one run can no longer do it all,
  // the scheduler puts each due user on an SQS queue here and a digest worker function, fed by
  // that queue, runs makeSendDigest (DESIGN.md, "Digest path").
  sendDigest: makeSendDigest({
    store,
    relationships: makeRelationships({ store, steering, clock }),
    mailer: makeSesMailer({ ses: clients.ses, logger }),
    issueToken: (claims) => tokens.issue(claims),
    clock,
    logger,
    mailDomain: config.mailDomain,
    unsubscribeUrl: (token) => `${config.publicUrl}/unsubscribe?t=${token}`,
  }),
  clock,
  logger,
});

/** Invoked by the EventBridge rule at the start of every 15-minute slot; one run handles the slots since the last. */
export async function handler(_event: ScheduledEvent): Promise<Record<string, number>> {
  const { slots, outcomes } = await runScheduler();
  const summary: Record<string, number> = { slots: slots.length };
  for (const outcome of outcomes) summary[outcome.status] = (summary[outcome.status] ?? 0) + 1;
  return summary;
}
