import { DynamoStore, messageItem } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { composeRaw } from '#adapters/ses/compose-raw.ts';
import { makeExportData } from '#use-cases/export-data.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { compare, report } from './measure.ts';
import {
  aBenchUser,
  aMessageHistory,
  benchClients,
  startDynaliteProcess,
  writeAll,
} from './support.ts';

const contacts = 2_000;
const messagesWanted = 20_000;

/**
 * `export` by reply for a user with 20,000 messages: the time of the whole answer (the views, the
 * files and the MIME message SES is given) against the bare views it is built from, and its size.
 */
export async function run(): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const { client, destroy } = benchClients(dynamo.endpoint);
  try {
    await ensureTable(client, 'bench');
    const clock = () => new Date('2026-06-01T08:00:00Z');
    const store = new DynamoStore({ client, tableName: 'bench', clock });
    const user = aBenchUser(clock());
    const messages = aMessageHistory(user.userId, { messages: messagesWanted, contacts });
    await writeAll(
      client,
      'bench',
      messages.map((m) => messageItem(m)),
    );
    const relationships = makeRelationships({ store, clock });
    const exportData = makeExportData({ relationships });
    const answer = async () => {
      const exported = await exportData(user, clock());
      return composeRaw({
        from: 'givefirst <digest@in.givefirst.test>',
        to: user.email,
        subject: 'Re: export',
        text: `${exported.lines.join('\n')}\n`,
        html: '',
        headers: {},
        attachments: exported.attachments,
      }).then((raw) => ({ exported, raw }));
    };
    const { exported, raw } = await answer();
    const files = Object.fromEntries(
      exported.attachments.map((a) => [a.filename, Buffer.byteLength(a.content)]),
    );
    report(
      `export, ${messages.length} messages, ${contacts} contacts`,
      {
        ...files,
        attachments_bytes: Object.values(files).reduce((a, b) => a + b, 0),
        raw_mime_bytes: raw.length,
        cut: exported.lines.length - 1,
      },
      'raw < 7,000,000',
    );
    const result = await compare(5, 1, answer, () => relationships(user));
    report('export answer vs the bare views (contacts, threads)', {
      export_ms: result.subject,
      views_ms: result.baseline,
      ratio: result.ratio,
    });
  } finally {
    destroy();
    await dynamo.close();
  }
}
