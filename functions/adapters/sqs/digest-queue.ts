import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DigestQueue, DueUser } from '#domain/ports.ts';

/** SQS takes at most 10 messages in one SendMessageBatch. */
const batchSize = 10;

/** Some due digests could not be put on the queue; the scheduler run fails and the next one queues them again. */
export class DigestQueueError extends Error {
  constructor(
    readonly failed: DueUser[],
    options?: { cause?: unknown },
  ) {
    super(`${failed.length} due digests were not queued`, options);
    this.name = 'DigestQueueError';
  }
}

/** The body of one queue message: the user and the slot their digest was due in. */
export function digestMessageBody(due: DueUser): string {
  return JSON.stringify({ userId: due.userId, slot: due.slot });
}

/** The due digest one queue message names, or undefined when the body is not one. */
export function readDigestMessage(body: string | undefined): DueUser | undefined {
  try {
    const parsed = JSON.parse(body ?? '') as Partial<DueUser> | null;
    if (typeof parsed?.userId === 'string' && typeof parsed.slot === 'string' && parsed.userId) {
      return { userId: parsed.userId, slot: parsed.slot };
    }
  } catch {
    // not JSON: undefined below
  }
  return undefined;
}

/** The digest queue on SQS: one message per due user, sent ten to a request. */
export function makeSqsDigestQueue(deps: { sqs: SQSClient; queueUrl: string }): DigestQueue {
  return {
    async enqueue(due) {
      const failed: DueUser[] = [];
      for (let start = 0; start < due.length; start += batchSize) {
        const batch = due.slice(start, start + batchSize);
        const answer = await deps.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: deps.queueUrl,
            Entries: batch.map((entry, i) => ({
              Id: String(i),
              MessageBody: digestMessageBody(entry),
            })),
          }),
        );
        for (const failure of answer.Failed ?? []) {
          const entry = batch[Number(failure.Id)];
          if (entry) failed.push(entry);
        }
      }
      if (failed.length > 0) throw new DigestQueueError(failed);
    },
  };
}
