// (primary adapter: SQS digest queue) --> send queued digest --> send digest --> (DynamoDB, SES)
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { makeDocumentClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readDigestConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import {
  replyTokenKeysOf,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { readDigestMessage } from '#adapters/sqs/digest-queue.ts';
import { makeSendQueuedDigest } from '#use-cases/send-queued-digest.ts';
import { makeDeployedSendDigest } from './shared/deployed-send-digest.ts';

const config = readDigestConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'send-digests' });
const dynamo = makeDocumentClient({ region: config.region });
const store = new DynamoStore({ client: dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({ client: dynamo, tableName: config.tableName, clock });
const replyTokens = replyTokensPerInvocation(replyTokenKeysOf(config, clock));
const sendQueuedDigest = makeSendQueuedDigest({
  store,
  sendDigest: makeDeployedSendDigest(config, {
    store,
    steering,
    issueToken: replyTokens.tokens.issue,
    clock,
    logger,
  }),
  clock,
  logger,
});

/**
 * Invoked by the digest queue with a batch of due digests, sent one after another. A message that
 * fails (the store unreachable) is reported alone and comes back; after three receipts it goes to
 * the dead-letter queue. A send SES refused is not a failure here: the digest record says so and
 * tomorrow's digest covers it.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  await replyTokens.refresh();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const due = readDigestMessage(record.body);
    if (!due) {
      logger.error('unreadable digest message', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await sendQueuedDigest(due);
      logger.info('queued digest', { userId: due.userId, slot: due.slot, status: outcome.status });
    } catch (error) {
      logger.error('queued digest failed', {
        userId: due.userId,
        failure: error instanceof Error ? error.message : String(error),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
