import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';

/** Every item of a test table (a Scan, paged): what a test asserts nothing of a person remains in. */
export async function scanTable(
  endpoint: string,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const client = makeDocumentClient({ region: 'local', endpoint });
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
      );
      items.push(...((page.Items as Record<string, unknown>[] | undefined) ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}
