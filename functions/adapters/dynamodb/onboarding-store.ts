import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AllowedDomain,
  JoinMailKind,
  JoinMailRecord,
  OnboardingStore,
  WelcomeRecord,
} from '#domain/ports.ts';
import { conditional, DynamoTable, epochSeconds } from './dynamodb-table.ts';
import { keys, prefixes } from './table-design.ts';

/** How long a join mail's record is kept: as long as the welcome's reply address works, and a day. */
export const joinMailRetentionDays = 15;

/**
 * Joining by email on the one table: the domains the operator allowed (one small partition, read
 * by a Query, never a Scan) and the mails sent about joining, each claimed once per address and
 * day by a conditional put. No transaction: every write here stands on its own.
 */
export class DynamoOnboardingStore implements OnboardingStore {
  readonly #t: DynamoTable;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock: () => Date }) {
    this.#t = new DynamoTable(options.client, options.tableName, options.clock);
  }

  allowDomain(domain: string, at: Date): Promise<boolean> {
    return conditional(
      this.#t.db.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: { ...keys.allowedDomain(domain), domain, allowedAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  removeDomain(domain: string): Promise<boolean> {
    return conditional(
      this.#t.db.send(
        new DeleteCommand({
          TableName: this.#t.name,
          Key: keys.allowedDomain(domain),
          ConditionExpression: 'attribute_exists(PK)',
        }),
      ),
    );
  }

  async allowedDomains(): Promise<AllowedDomain[]> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: {
        ':pk': prefixes.allowedDomains.PK,
        ':sk': prefixes.allowedDomains.SK,
      },
    });
    return items.map((i) => ({ domain: i.domain as string, allowedAt: i.allowedAt as string }));
  }

  async isAllowed(domain: string): Promise<boolean> {
    const got = await this.#t.db.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.allowedDomain(domain) }),
    );
    return got.Item !== undefined;
  }

  async anyAllowed(): Promise<boolean> {
    const page = await this.#t.db.send(
      new QueryCommand({
        TableName: this.#t.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: {
          ':pk': prefixes.allowedDomains.PK,
          ':sk': prefixes.allowedDomains.SK,
        },
        Limit: 1,
      }),
    );
    return (page.Items?.length ?? 0) > 0;
  }

  claimJoinMail(
    address: string,
    kind: JoinMailKind,
    day: string,
    record: JoinMailRecord,
  ): Promise<boolean> {
    const now = this.#t.clock();
    return conditional(
      this.#t.db.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: {
            ...keys.joinMail(address, kind, day),
            at: now.toISOString(),
            ...record,
            expiresAt: epochSeconds(now) + joinMailRetentionDays * 86_400,
          },
          // An expired record (dynalite has no TTL) is as good as none.
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      ),
    );
  }

  async welcomeOf(address: string, day: string): Promise<WelcomeRecord | null> {
    const got = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.joinMail(address, 'welcome', day),
        ConsistentRead: true,
      }),
    );
    if (!got.Item || this.#t.expired(got.Item) || typeof got.Item.timeZone !== 'string') {
      return null;
    }
    return { timeZone: got.Item.timeZone };
  }
}
