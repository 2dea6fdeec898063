import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { startDynalite } from '#local/dynalite-server.ts';
import { dynamoDbLocalUnavailable, startDynamoDbLocal } from './dynamodb-local.ts';

/** A DynamoDB API the store contract runs against. */
export interface StoreBackend {
  name: string;
  /** Why this backend cannot run on this machine, or null when it can. */
  unavailable: string | null;
  start(): Promise<RunningBackend>;
}

export interface RunningBackend {
  client: DynamoDBDocumentClient;
  /** Creates a new, empty givefirst table and returns its name. */
  freshTable(): Promise<string>;
  close(): Promise<void>;
}

async function connect(server: {
  endpoint: string;
  close(): Promise<void>;
}): Promise<RunningBackend> {
  const client = makeDocumentClient({ region: 'local', endpoint: server.endpoint });
  let tables = 0;
  return {
    client,
    freshTable: async () => {
      tables += 1;
      const tableName = `contract-${tables}`;
      await ensureTable(client, tableName);
      return tableName;
    },
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/**
 * In CI every backend runs or its suite fails: a suite skipped there would prove nothing while the
 * README promises it. Elsewhere a machine without Java skips DynamoDB Local, and says why.
 */
const mustRun = Boolean(process.env.CI);

export const storeBackends: StoreBackend[] = [
  {
    name: 'dynalite',
    unavailable: null,
    start: async () => connect(await startDynalite()),
  },
  {
    name: 'DynamoDB Local',
    unavailable: mustRun ? null : dynamoDbLocalUnavailable(),
    start: async () => {
      const server = await startDynamoDbLocal();
      if (!server) throw new Error(`DynamoDB Local cannot run here: ${dynamoDbLocalUnavailable()}`);
      return connect(server);
    },
  },
];
