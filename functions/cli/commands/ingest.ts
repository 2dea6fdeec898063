import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { base32 } from '#domain/ids.ts';
import type { Outcome, Verdicts } from '#domain/model.ts';
import { mailauthChecks } from '#local/services.ts';
import { UsageError } from '../command-line.ts';
import { outcomeLine, print } from '../output.ts';
import { withAnswers } from '../with-answers.ts';
import type { Command } from './command.ts';

/** Messages ingested at once: arrival order never matters, and the store's round trips overlap. */
const inFlight = 4;

/** Every file is checked before any is ingested: a typo in the 300th name ingests nothing. */
async function checkFiles(files: string[]): Promise<void> {
  for (const file of files) {
    const found = await stat(file).catch((error: NodeJS.ErrnoException) => error);
    if (found instanceof Error) {
      throw new UsageError(
        found.code === 'ENOENT'
          ? `${file}: no such file`
          : `${file}: cannot be read (${found.code ?? found.message})`,
        'ingest takes .eml files, each one raw message; nothing was ingested',
      );
    }
    if (!found.isFile()) {
      throw new UsageError(
        `${file} is not a file`,
        `for a folder of messages, name its files: givefirst ingest ${file.replace(/\/$/, '')}/*.eml`,
      );
    }
  }
}

export const ingest: Command = async (line, connected) => {
  await checkFiles(line.operands);
  return connected((conn) =>
    withAnswers(conn, async (ingestEmail) => {
      const to = line.to ?? `log@${conn.mailDomain}`;
      // Without --trust-sender the usual checks apply: DKIM and DMARC from DNS (no SMTP client, so no SPF).
      const verdictsOf = line.trustSender ? undefined : mailauthChecks(conn.mailDomain);
      const ingestFile = async (file: string): Promise<Outcome> => {
        const raw = await readFile(file);
        const receivedAt = conn.clock();
        const receiptId = base32(randomBytes(10));
        const rawKey = `cli/${receivedAt.toISOString().slice(0, 10)}/${receiptId}.eml`;
        await conn.services.rawMail.put(rawKey, raw);
        const verdicts: Verdicts = verdictsOf
          ? await verdictsOf(await conn.services.rawMail.open(rawKey))
          : { source: 'operator' };
        return ingestEmail({
          receiptId,
          rawKey,
          recipients: [to],
          mailFrom: '',
          receivedAt,
          verdicts,
        });
      };
      const results: { file: string; outcome: Outcome }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < line.operands.length) {
          const index = next++;
          const file = line.operands[index] ?? '';
          results[index] = { file, outcome: await ingestFile(file) };
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      print(line, { results }, () => results.map((r) => outcomeLine(r.file, r.outcome)).join('\n'));
      return results.some((r) => r.outcome.status === 'rejected') ? 1 : 0;
    }),
  );
};
