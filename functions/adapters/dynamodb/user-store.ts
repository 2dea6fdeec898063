import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { userIdFor } from '#domain/ids.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import type { User } from '#domain/model.ts';
import type { AddUserResult, UserStore } from '#domain/ports.ts';
import { conditional, type DynamoTable, type Item } from './dynamodb-table.ts';
import { gsi1, indexNames, keys } from './table-design.ts';

/** Gives up a user's claim on an address, only while it is that user's: true when it was. */
export function releaseAddress(t: DynamoTable, address: string, userId: string): Promise<boolean> {
  return conditional(
    t.db.send(
      new DeleteCommand({
        TableName: t.name,
        Key: keys.address(address),
        ConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': userId },
      }),
    ),
  );
}

function toUser(item: Item): User {
  return {
    userId: item.userId as string,
    email: item.email as string,
    aliases: (item.aliases as string[] | undefined) ?? [],
    timeZone: item.timeZone as string,
    digestAt: item.digestAt as string,
    neverLog: (item.neverLog as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
    // Set by reply commands and unsubscribes (steering-store.ts, pauseDigests).
    ...(item.frequency ? { frequency: item.frequency as User['frequency'] } : {}),
    ...(item.pausedAt ? { pausedAt: item.pausedAt as string } : {}),
    ...(item.pausedUntil ? { pausedUntil: item.pausedUntil as string } : {}),
    ...(item.stoppedBecause
      ? { stoppedBecause: item.stoppedBecause as NonNullable<User['stoppedBecause']> }
      : {}),
  };
}

/** Users: address claims, profiles, the admin listing. */
export class DynamoUserStore implements UserStore {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  /**
   * Registers a user: claims each address first (conditional: free, or already this user's), then
   * writes the profile. When an address belongs to someone else, releases only the addresses this
   * call newly claimed and writes no profile, so a refused user leaves nothing behind and a
   * registered user asking for a taken alias stays as it was. A retry completes a crashed call.
   */
  async addUser(user: User): Promise<AddUserResult> {
    const claimed: string[] = [];
    const taken: string[] = [];
    for (const address of [user.email, ...user.aliases]) {
      try {
        const put = await this.#t.db.send(
          new PutCommand({
            TableName: this.#t.name,
            Item: { ...keys.address(address), address, userId: user.userId },
            ConditionExpression: 'attribute_not_exists(PK) OR userId = :u',
            ExpressionAttributeValues: { ':u': user.userId },
            ReturnValues: 'ALL_OLD',
          }),
        );
        if (!put.Attributes) claimed.push(address);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        taken.push(address);
      }
    }
    if (taken.length > 0) {
      for (const address of claimed) await releaseAddress(this.#t, address, user.userId);
      return { added: false, taken };
    }
    const profile = {
      ...keys.user(user.userId),
      ...user,
      GSI1PK: gsi1.allUsers,
      GSI1SK: user.email,
    };
    await this.#t.db.send(new PutCommand({ TableName: this.#t.name, Item: profile }));
    return { added: true };
  }

  /**
   * The address claim says whose address it is. A user's id follows their primary address, so the
   * profile that address would have is read in the same request: mail from a primary address (the
   * usual case) costs one read, from an alias two. The claim decides; the guessed profile is used
   * only when the claim names it.
   */
  async findUserByAddress(address: string): Promise<User | null> {
    const normalised = normaliseAddress(address);
    const claimKey = keys.address(normalised);
    const guess = userIdFor(normalised);
    let wanted: Record<string, string>[] = [claimKey, keys.user(guess)];
    const got: Item[] = [];
    while (wanted.length > 0) {
      const out = await this.#t.db.send(
        new BatchGetCommand({ RequestItems: { [this.#t.name]: { Keys: wanted } } }),
      );
      got.push(...((out.Responses?.[this.#t.name] as Item[] | undefined) ?? []));
      wanted = (out.UnprocessedKeys?.[this.#t.name]?.Keys ?? []) as Record<string, string>[];
    }
    const claim = got.find((i) => i.PK === claimKey.PK);
    const userId = claim?.userId as string | undefined;
    if (!userId) return null;
    const profile = got.find((i) => i.PK === keys.user(userId).PK);
    return profile ? toUser(profile) : this.getUser(userId);
  }

  async getUser(userId: string): Promise<User | null> {
    const got = await this.#t.db.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.user(userId) }),
    );
    return got.Item ? toUser(got.Item) : null;
  }

  async listUsers(): Promise<User[]> {
    const items = await this.#t.queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': gsi1.allUsers },
    });
    return items.map(toUser);
  }
}
