import type { DigestStore, HistoryStore, LedgerStore, UserStore } from '#domain/ports.ts';
import { DynamoDigestStore } from './digest-store.ts';
import type { DynamoStoreOptions } from './dynamodb-store.ts';
import { DynamoTable } from './dynamodb-table.ts';
import { DynamoHistoryStore } from './history-store.ts';
import { DynamoLedgerStore } from './ledger-store.ts';
import { DynamoReceiptStore } from './receipt-store.ts';
import { DynamoUserStore } from './user-store.ts';

/** The methods of a store object, bound to it, as one plain object. */
function boundMethods<T extends object>(store: T): T {
  const methods: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
    const value = (store as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof value === 'function') methods[name] = value.bind(store);
  }
  return methods as T;
}

/**
 * What the digest functions (the scheduler and the worker) use of the table: users, digests, the
 * messages and the history checkpoint. Composed from the same row-family stores as `DynamoStore`,
 * without what only the CLI, ingest and replies use (user deletion, accounts), which keeps those
 * modules out of the digest functions' bundles.
 */
export function digestFunctionsStore(
  options: DynamoStoreOptions,
): DigestStore &
  HistoryStore &
  Pick<LedgerStore, 'listThreadMessages'> &
  Pick<UserStore, 'getUser'> {
  const table = new DynamoTable(options.client, options.tableName, options.clock);
  const users = new DynamoUserStore(table);
  const ledger = new DynamoLedgerStore(table, new DynamoReceiptStore(table));
  return {
    ...boundMethods<DigestStore>(new DynamoDigestStore(table)),
    ...boundMethods<HistoryStore>(new DynamoHistoryStore(table)),
    listThreadMessages: (userId: string) => ledger.listThreadMessages(userId),
    getUser: (userId: string) => users.getUser(userId),
  };
}
