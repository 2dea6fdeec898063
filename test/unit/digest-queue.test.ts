import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  DigestQueueError,
  digestMessageBody,
  makeSqsDigestQueue,
  readDigestMessage,
} from '#adapters/sqs/digest-queue.ts';

const due = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ userId: `user${i}`, slot: '2026-03-05T07:00Z' }));

/** An SQS client that answers each SendMessageBatch with `failedIds` failed, the rest sent. */
function aBatchClient(failedIds: string[] = []) {
  const batches: string[][] = [];
  const sqs = {
    async send(command: SendMessageBatchCommand) {
      const entries = command.input.Entries ?? [];
      batches.push(entries.map((e) => e.MessageBody ?? ''));
      return {
        Successful: entries.filter((e) => !failedIds.includes(e.Id ?? '')),
        Failed: entries
          .filter((e) => failedIds.includes(e.Id ?? ''))
          .map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
      };
    },
  } as unknown as SQSClient;
  return { sqs, batches };
}

describe('the SQS digest queue', () => {
  it('sends ten messages a request, each naming the user and the slot', async () => {
    const { sqs, batches } = aBatchClient();

    await makeSqsDigestQueue({ sqs, queueUrl: 'https://sqs.test/q' }).enqueue(due(23));

    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map(readDigestMessage)).toEqual(due(23));
  });

  it('fails naming the entries SQS did not take, after trying every batch', async () => {
    const { sqs, batches } = aBatchClient(['3']);

    const error = await makeSqsDigestQueue({ sqs, queueUrl: 'https://sqs.test/q' })
      .enqueue(due(12))
      .catch((e: unknown) => e);

    expect(batches).toHaveLength(2);
    expect(error).toBeInstanceOf(DigestQueueError);
    expect((error as DigestQueueError).failed.map((d) => d.userId)).toEqual(['user3']);
  });

  it.each(['', 'not json', '{"userId":""}', '{"slot":"x"}', 'null'])(
    'reads no due digest from %j',
    (body) => {
      expect(readDigestMessage(body)).toBeUndefined();
    },
  );

  it('reads back what it writes', () => {
    const one = { userId: 'user0', slot: '2026-03-05T07:00Z' };
    expect(readDigestMessage(digestMessageBody(one))).toEqual(one);
  });
});
