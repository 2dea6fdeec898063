import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DigestRecord, SettingsChange, Steer, SteeringStore } from '#domain/ports.ts';
import { conditional, DynamoTable, epochSeconds, type Item } from './dynamodb-table.ts';
import { commandMailRetentionDays, keys, prefixes } from './table-design.ts';

/** An update expression that SETs the fields given (undefined ones are left as they are). */
function setting(fields: Record<string, unknown>) {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  return {
    UpdateExpression: `SET ${entries.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#n${i}`, k])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
    empty: entries.length === 0,
  };
}

/**
 * What reply commands change, on the one table: steered items, command mails (once each), the
 * hourly allowance of confirmations, settings on the profile, and the digests a user was sent.
 * No transaction: every write here is idempotent on its own.
 */
export class DynamoSteeringStore implements SteeringStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: () => Date;
  readonly #t: DynamoTable;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock: () => Date }) {
    this.#db = options.client;
    this.#table = options.tableName;
    this.#clock = options.clock;
    this.#t = new DynamoTable(options.client, options.tableName, options.clock);
  }

  async beginCommandMail(
    userId: string,
    messageKey: string,
    receiptId: string,
    at: Date,
  ): Promise<'new' | 'retry' | 'duplicate'> {
    const key = keys.commandMail(userId, messageKey);
    const put = await conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...key,
            receiptId,
            at: at.toISOString(),
            expiresAt: epochSeconds(at) + commandMailRetentionDays * 86_400,
          },
          // An expired record (dynalite has no TTL) is as good as none.
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(this.#clock()) },
        }),
      ),
    );
    if (put) return 'new';
    const got = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
    );
    return got.Item?.receiptId === receiptId ? 'retry' : 'duplicate';
  }

  claimConfirmation(userId: string, messageKey: string): Promise<boolean> {
    return conditional(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.commandMail(userId, messageKey),
          UpdateExpression: 'SET confirmedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(confirmedAt)',
          ExpressionAttributeValues: { ':at': this.#clock().toISOString() },
        }),
      ),
    );
  }

  claimNote(userId: string, noteKey: string): Promise<boolean> {
    return conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.note(userId, noteKey), at: this.#clock().toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  countConfirmation(userId: string, hour: string, limit: number): Promise<boolean> {
    return conditional(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.confirmationsInHour(userId, hour),
          UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':exp': epochSeconds(this.#clock()) + 2 * 3600,
          },
        }),
      ),
    );
  }

  async steer(userId: string, change: Steer): Promise<void> {
    const { key, ...fields } = change;
    const update = setting({ ...fields, steerKey: key });
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: keys.steer(userId, key),
        ...omitEmpty(update),
      }),
    );
  }

  async listSteers(userId: string): Promise<Steer[]> {
    const items = await this.#query({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': keys.user(userId).PK, ':s': prefixes.steers },
    });
    return items.map(({ PK: _p, SK: _s, steerKey, ...rest }) => ({
      key: steerKey as string,
      ...(rest as Omit<Steer, 'key'>),
    }));
  }

  async updateSettings(userId: string, change: SettingsChange): Promise<void> {
    const { neverLog, ...fields } = change;
    const update = setting(fields);
    if (!update.empty) {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.user(userId),
          ConditionExpression: 'attribute_exists(PK)',
          ...omitEmpty(update),
        }),
      );
    }
    if (neverLog) {
      // Appended once: the condition makes a second `never` of the same address a no-op.
      await conditional(
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: keys.user(userId),
            UpdateExpression: 'SET neverLog = list_append(if_not_exists(neverLog, :none), :add)',
            ConditionExpression: 'attribute_exists(PK) AND NOT contains(neverLog, :one)',
            ExpressionAttributeValues: { ':none': [], ':add': [neverLog], ':one': neverLog },
          }),
        ),
      );
    }
  }

  async digestsSince(userId: string, localDate: string): Promise<DigestRecord[]> {
    const items = await this.#query({
      KeyConditionExpression: 'PK = :p AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': keys.user(userId).PK,
        ':from': keys.digest(userId, localDate).SK,
        ':to': `${prefixes.digests}\uffff`,
      },
    });
    // Expired records are not left out: none is in the views' 60 days (a record expires 62 days
    // after it began), and `forget` must rewrite one that DynamoDB's TTL has not removed yet.
    return items.map(({ PK: _p, SK: _s, expiresAt: _e, ...record }) => ({
      finishedAt: null,
      messageId: null,
      failure: null,
      ...(record as Omit<DigestRecord, 'finishedAt' | 'messageId' | 'failure'>),
    }));
  }

  #query(input: {
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  }): Promise<Item[]> {
    return this.#t.queryAll(input);
  }
}

function omitEmpty(update: ReturnType<typeof setting>) {
  const { empty: _empty, ...rest } = update;
  return rest;
}
