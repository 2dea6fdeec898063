import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '#domain/model.ts';
import type { DeletedUser } from '#domain/ports.ts';
import { conditional, type DynamoTable, type Item } from './dynamodb-table.ts';
import { keys, prefixes } from './table-design.ts';
import { releaseAddress } from './user-store.ts';

/** BatchWriteItem takes at most this many requests. */
const batchSize = 25;

/**
 * Removes every item of a user (docs/storage.md, "Deleting a user"): their Message-IDs' owner
 * entries, everything under `USER#<userId>`, their address claims, and the profile last, so that a
 * run cut short leaves the user listed and a second run finishes it. Receipts, parked replies and raw
 * mail name no user in their keys and expire with the raw mail.
 */
export class DynamoUserDeletion {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  async deleteUser(user: User): Promise<DeletedUser> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p',
      ExpressionAttributeValues: { ':p': prefixes.user(user.userId) },
      ProjectionExpression: 'PK, SK',
    });
    const deleted: DeletedUser = { messages: 0, digests: 0, other: 0, addresses: 0, ownerRows: 0 };
    for (const item of items) {
      const sk = item.SK as string;
      if (!sk.startsWith(prefixes.messages)) continue;
      deleted.ownerRows += await this.#dropOwner(sk.slice(prefixes.messages.length), user.userId);
    }
    const profile = keys.user(user.userId);
    const rest = items.filter((i) => i.SK !== profile.SK);
    for (let i = 0; i < rest.length; i += batchSize) {
      await this.#deleteAll(rest.slice(i, i + batchSize));
    }
    for (const item of rest) {
      const sk = item.SK as string;
      if (sk.startsWith(prefixes.messages)) deleted.messages++;
      else if (sk.startsWith(prefixes.digests)) deleted.digests++;
      else deleted.other++;
    }
    for (const address of [user.email, ...user.aliases]) {
      if (await releaseAddress(this.#t, address, user.userId)) deleted.addresses++;
    }
    await this.#t.db.send(new DeleteCommand({ TableName: this.#t.name, Key: profile }));
    return deleted;
  }

  /**
   * Takes the user out of a Message-ID's owners; the item goes when it names nobody else and no
   * reply is parked under it. The one-row-per-owner item an earlier layout wrote goes too.
   */
  async #dropOwner(messageKey: string, userId: string): Promise<number> {
    const key = keys.messageOwners(messageKey);
    const left = await this.#t
      .update({
        Key: key,
        UpdateExpression: 'DELETE owners :u',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':u': new Set([userId]) },
        ReturnValues: 'ALL_NEW',
      })
      .catch((error: unknown) => {
        // No owners item: an earlier layout's message, or one never finished.
        if (error instanceof ConditionalCheckFailedException) return null;
        throw error;
      });
    let removed = 0;
    if (left && !left.Attributes?.owners && left.Attributes?.parked !== true) {
      const gone = await conditional(
        this.#t.db.send(
          new DeleteCommand({
            TableName: this.#t.name,
            Key: key,
            ConditionExpression: 'attribute_not_exists(owners) AND attribute_not_exists(parked)',
          }),
        ),
      );
      if (gone) removed++;
    }
    await this.#t.db.send(
      new DeleteCommand({
        TableName: this.#t.name,
        Key: { PK: key.PK, SK: prefixes.user(userId) },
      }),
    );
    return removed;
  }

  async #deleteAll(items: Item[]): Promise<void> {
    let requests = items.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } }));
    while (requests.length > 0) {
      const out = await this.#t.db.send(
        new BatchWriteCommand({ RequestItems: { [this.#t.name]: requests } }),
      );
      requests = (out.UnprocessedItems?.[this.#t.name] ?? []) as typeof requests;
    }
  }
}
