import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { startDynalite } from '#local/dynalite-server.ts';

export interface TestTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

/** A fresh in-memory dynalite with the givefirst table, on a free loopback port. */
export async function startTestTable(tableName = 'givefirst-test'): Promise<TestTable> {
  const dynamo = await startDynalite();
  const client = makeDocumentClient({ region: 'local', endpoint: dynamo.endpoint });
  await ensureTable(client, tableName);
  return {
    client,
    tableName,
    endpoint: dynamo.endpoint,
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}
