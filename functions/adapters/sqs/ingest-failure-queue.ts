import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SESEventRecord } from 'aws-lambda';
import { envelopeFromSesRecord } from '#adapters/ses/ses-event.ts';
import type { InboundEnvelope } from '#domain/model.ts';

/** One message of the ingest failure queue: an SES event whose ingest failed every retry. */
export interface FailedIngest {
  messageId: string;
  /** The receipts the failed invocation carried. */
  envelopes: InboundEnvelope[];
  /** Why the message holds no receipt to redrive (it is not an ingest function's failure record). */
  unreadable?: string;
  /** Takes the message off the queue: once every receipt in it is redriven. */
  remove(): Promise<void>;
}

export interface IngestFailureQueue {
  /**
   * The messages on the queue, each hidden from other readers while it is redriven; a message
   * that is not removed shows again once that time is over.
   */
  receiveAll(): Promise<FailedIngest[]>;
}

/** Long enough to redrive every receipt of a batch; short enough that a crashed redrive is retried soon. */
const visibilitySeconds = 300;

/**
 * The ingest function's on-failure destination. Lambda writes one record per failed invocation,
 * with the SES event it was invoked with under `requestPayload`; the raw mail is still in S3.
 */
export function makeIngestFailureQueue(deps: {
  sqs: SQSClient;
  queueUrl: string;
  rawMailPrefix: string;
  /** At most this many messages in one run; the rest wait for the next. */
  limit?: number;
}): IngestFailureQueue {
  const limit = deps.limit ?? 500;
  const read = (body: string | undefined): Pick<FailedIngest, 'envelopes' | 'unreadable'> => {
    let record: unknown;
    try {
      record = JSON.parse(body ?? '');
    } catch {
      return { envelopes: [], unreadable: 'its body is not JSON' };
    }
    const records = (record as { requestPayload?: { Records?: unknown } } | null)?.requestPayload
      ?.Records;
    if (!Array.isArray(records) || records.length === 0) {
      return { envelopes: [], unreadable: 'it carries no SES event under requestPayload' };
    }
    const ses = records.filter((r): r is SESEventRecord => typeof r?.ses?.mail === 'object');
    if (ses.length !== records.length) {
      return {
        envelopes: [],
        unreadable: 'its requestPayload holds records that are not SES receipts',
      };
    }
    return { envelopes: ses.map((r) => envelopeFromSesRecord(r, deps.rawMailPrefix)) };
  };
  return {
    async receiveAll() {
      const received: FailedIngest[] = [];
      while (received.length < limit) {
        const batch = await deps.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: deps.queueUrl,
            MaxNumberOfMessages: Math.min(10, limit - received.length),
            VisibilityTimeout: visibilitySeconds,
            // Long polling asks every server of the queue: an empty answer means an empty queue.
            WaitTimeSeconds: 1,
          }),
        );
        const messages = batch.Messages ?? [];
        if (messages.length === 0) break;
        for (const message of messages) {
          received.push({
            messageId: message.MessageId ?? '',
            ...read(message.Body),
            remove: async () => {
              await deps.sqs.send(
                new DeleteMessageCommand({
                  QueueUrl: deps.queueUrl,
                  ReceiptHandle: message.ReceiptHandle,
                }),
              );
            },
          });
        }
      }
      return received;
    },
  };
}
