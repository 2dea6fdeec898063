import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Runs a conditional write; a failed condition is an expected answer, not an error. */
export async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The one table every port's module reads and writes, with the helpers they share. */
export class DynamoTable {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
    readonly clock: () => Date,
  ) {}

  /** Every page of a Query. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: start }),
      );
      items.push(...((page.Items as Item[] | undefined) ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  update(input: Omit<UpdateCommandInput, 'TableName'>) {
    return this.db.send(new UpdateCommand({ TableName: this.name, ...input }));
  }

  /** Past its `expiresAt`: dynalite has no TTL, and DynamoDB's removes items late. */
  expired(item: Item): boolean {
    const expiresAt = item.expiresAt as number | undefined;
    return expiresAt !== undefined && expiresAt <= epochSeconds(this.clock());
  }
}
