import type { InboundEnvelope, Outcome } from '#domain/model.ts';
import type { IngestEmail } from '#use-cases/ingest-email.ts';
import { outcomeLine, print } from '../output.ts';
import { withAnswers } from '../with-answers.ts';
import type { Command } from './command.ts';

interface Result {
  receiptId: string;
  /** Where it was found: the store's failed or unfinished receipts, or the ingest failure queue. */
  from: 'store' | 'queue';
  outcome?: Outcome;
  error?: string;
}

const redriveOne = async (
  ingest: IngestEmail,
  envelope: InboundEnvelope,
  from: Result['from'],
): Promise<Result> => {
  try {
    return { receiptId: envelope.receiptId, from, outcome: await ingest(envelope) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { receiptId: envelope.receiptId, from, error: message };
  }
};

/**
 * Primary course:
 * 1. On AWS, take each message off the ingest failure queue, reingest the receipts its SES event
 *    names from the raw mail in S3, and delete the message once every one of them has an outcome.
 * 2. Reingest the receipts the store lists as failed or never finished.
 * Ingest is idempotent by receipt, so a receipt found in both places is done once.
 */
export const redrive: Command = (line, connected) =>
  connected((conn) =>
    withAnswers(conn, async (ingest) => {
      const results: Result[] = [];
      const left: { messageId: string; why: string }[] = [];
      const done = new Set<string>();
      for (const message of (await conn.ingestFailures?.receiveAll()) ?? []) {
        if (message.unreadable) {
          left.push({ messageId: message.messageId, why: message.unreadable });
          continue;
        }
        const redriven: Result[] = [];
        for (const envelope of message.envelopes) {
          redriven.push(await redriveOne(ingest, envelope, 'queue'));
          done.add(envelope.receiptId);
        }
        results.push(...redriven);
        const failed = redriven.find((r) => r.error);
        if (failed)
          left.push({ messageId: message.messageId, why: `${failed.receiptId} failed again` });
        else await message.remove();
      }
      for (const receipt of await conn.services.store.listFailedReceipts(500)) {
        if (done.has(receipt.envelope.receiptId)) continue;
        results.push(await redriveOne(ingest, receipt.envelope, 'store'));
      }
      print(
        line,
        { results, ...(conn.ingestFailures ? { leftOnQueue: left } : {}) },
        () =>
          [
            ...results.map((r) =>
              r.outcome
                ? outcomeLine(r.receiptId, r.outcome)
                : `${r.receiptId}: failed again: ${r.error}`,
            ),
            ...left.map((l) => `queue message ${l.messageId} left on the queue: ${l.why}`),
          ].join('\n') || 'nothing to redrive',
      );
      return results.some((r) => r.error) || left.length > 0 ? 1 : 0;
    }),
  );
