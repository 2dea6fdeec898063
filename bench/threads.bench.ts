import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeListThreads } from '#use-cases/list-threads.ts';
import { compare, report } from './measure.ts';
import {
  aBenchUser,
  bareMessagesQuery,
  benchClients,
  countRequests,
  seedHistory,
  startDynaliteProcess,
} from './support.ts';

const contacts = 2_000;
const messagesWanted = 20_000;

export async function run(): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const { client, bare, destroy } = benchClients(dynamo.endpoint);
  try {
    await ensureTable(client, 'bench');
    const clock = () => new Date('2026-06-01T08:00:00Z');
    const store = new DynamoStore({ client, tableName: 'bench', clock });
    const user = aBenchUser(clock());
    const seeded = await seedHistory(client, 'bench', user.userId, {
      messages: messagesWanted,
      contacts,
    });
    const listThreads = makeListThreads({ store, clock });
    const requests = countRequests(client);
    const threads = await listThreads(user);
    const open = threads.filter((t) =>
      t.contacts.some((c) => c.state === 'waiting' || c.state === 'due'),
    );
    report(`threads view, ${seeded} messages, ${contacts} contacts`, {
      threads: threads.length,
      open: open.length,
      requests: requests.total(),
      ...requests.byOperation(),
    });

    const bareQuery = () => bareMessagesQuery(bare, 'bench', user.userId);
    const read = await compare(5, 1, () => store.listThreadMessages(user.userId), bareQuery);
    report('of which reading and decoding the items', {
      read_ms: read.subject,
      query_ms: read.baseline,
      ratio: read.ratio,
    });
    const result = await compare(9, 1, () => listThreads(user), bareQuery);
    report(
      'threads view vs bare Query (same items and attributes)',
      { view_ms: result.subject, query_ms: result.baseline, ratio: result.ratio },
      '<= 1.5x',
    );

    const relationships = makeRelationships({ store, clock });
    const first = await relationships(user);
    report('help first, 20,000 messages, 2,000 contacts', {
      items: first.helpFirst.items.length,
      more: first.helpFirst.more,
      contacts: first.ledger.length,
    });
    const helpResult = await compare(7, 1, () => relationships(user), bareQuery);
    report(
      'help-first list vs bare Query (same items and attributes)',
      { help_ms: helpResult.subject, query_ms: helpResult.baseline, ratio: helpResult.ratio },
      '<= 1.5x',
    );
  } finally {
    destroy();
    await dynamo.close();
  }
}
