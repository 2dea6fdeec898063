import type { Outcome } from '#domain/model.ts';
import { outcomeLine, print } from '../output.ts';
import { withAnswers } from '../with-answers.ts';
import type { Command } from './command.ts';

export const redrive: Command = (line, connected) =>
  connected((conn) =>
    withAnswers(conn, async (ingestEmail) => {
      const failed = await conn.services.store.listFailedReceipts(500);
      const results: { receiptId: string; outcome?: Outcome; error?: string }[] = [];
      for (const receipt of failed) {
        try {
          results.push({
            receiptId: receipt.envelope.receiptId,
            outcome: await ingestEmail(receipt.envelope),
          });
        } catch (error) {
          results.push({
            receiptId: receipt.envelope.receiptId,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      print(line, { results }, () =>
        results.length
          ? results
              .map((r) =>
                r.outcome
                  ? outcomeLine(r.receiptId, r.outcome)
                  : `${r.receiptId}: failed again: ${r.error}`,
              )
              .join('\n')
          : 'nothing to redrive',
      );
      return results.some((r) => r.error) ? 1 : 0;
    }),
  );
