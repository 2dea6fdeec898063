import { buildDataExport } from '#domain/data-export.ts';
import type { User } from '#domain/model.ts';
import type { MailAttachment } from '#domain/ports.ts';
import type { Relationships } from './help-first.ts';

export type ExportData = (
  user: User,
  now: Date,
) => Promise<{ lines: string[]; attachments: MailAttachment[] }>;

/**
 * `export`: the user's data, attached to the answer.
 *
 * Primary course:
 * 1. Compute the contacts' ledger and the threads as `givefirst contacts` and `threads` do (one
 *    Query of the messages, the steers and the recent digests).
 * 2. Write them, with the settings, as three CSV files and one JSON file, within a size that
 *    arrives; say what was left out when a long history does not fit.
 */
export function makeExportData(deps: {
  relationships: (user: User, asOf?: Date) => Promise<Relationships>;
}): ExportData {
  return async function exportData(user, now) {
    const { ledger, threads } = await deps.relationships(user, now);
    const built = buildDataExport({ user, ledger, threads, now });
    const lines = [
      `Your data is attached: ${built.contacts} contacts and ${built.threads} threads (contacts.csv, threads.csv), your settings (settings.csv), and all of it in export.json.`,
      ...built.cut,
    ];
    return { lines, attachments: built.files };
  };
}
