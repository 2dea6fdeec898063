// (primary adapter: SQS digest queue) --> send queued digest --> send digest --> (DynamoDB, SES)
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readDigestConfig } from '#adapters/config.ts';
import { readDigestMessage } from '#adapters/sqs/digest-queue.ts';
import { makeSendQueuedDigest } from '#use-cases/send-queued-digest.ts';
import { makeDeployedDigests } from './shared/deployed-digests.ts';

const config = readDigestConfig(process.env);
const { clock, logger, store, replyTokens, sendDigest } = makeDeployedDigests(
  config,
  'send-digests',
);
const sendQueuedDigest = makeSendQueuedDigest({
  store,
  sendDigest,
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
