import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '#domain/model.ts';
import type { DeletedUser, DeleteUserOptions, RawMailStore } from '#domain/ports.ts';
import { conditional, type DynamoTable, type Item } from './dynamodb-table.ts';
import { keys, prefixes } from './table-design.ts';
import { releaseAddress } from './user-store.ts';

/** BatchWriteItem takes at most this many requests. */
const batchSize = 25;

/**
 * Removes every item of a user (docs/storage.md, "Deleting a user"): with a raw-mail store, the raw
 * mail of the receipts that logged their messages or brought their command mails, and those
 * receipts; their Message-IDs' owner entries; everything under `USER#<userId>`; their address
 * claims; and the profile last, so that a run cut short leaves the user listed and a second run
 * finishes it. Parked replies name no user in their keys and expire with the raw mail.
 */
export class DynamoUserDeletion {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  async deleteUser(user: User, options: DeleteUserOptions = {}): Promise<DeletedUser> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p',
      ExpressionAttributeValues: { ':p': prefixes.user(user.userId) },
      ProjectionExpression: 'PK, SK, receiptId',
    });
    const deleted: DeletedUser = {
      messages: 0,
      digests: 0,
      other: 0,
      addresses: 0,
      ownerRows: 0,
      receipts: 0,
      rawMail: 0,
    };
    if (options.rawMail) {
      // First, while the items that name the receipts are still there to find them by.
      const receipts = new Set(
        items
          .map((i) => i.receiptId)
          .filter((r): r is string => typeof r === 'string' && r !== options.keepReceipt),
      );
      for (const receiptId of receipts) {
        const gone = await dropReceipt(this.#t, receiptId, options.rawMail);
        deleted.receipts += gone.receipt;
        deleted.rawMail += gone.rawMail;
      }
    }
    for (const item of items) {
      const sk = item.SK as string;
      if (!sk.startsWith(prefixes.messages)) continue;
      const messageKey = sk.slice(prefixes.messages.length);
      deleted.ownerRows += await dropMessageOwner(this.#t, messageKey, user.userId);
    }
    const profile = keys.user(user.userId);
    const rest = items.filter((i) => i.SK !== profile.SK);
    for (let i = 0; i < rest.length; i += batchSize) {
      await deleteItems(this.#t, rest.slice(i, i + batchSize));
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
}

/** A receipt's raw mail, then the receipt (which is how the raw mail is found). */
export async function dropReceipt(
  table: DynamoTable,
  receiptId: string,
  rawMail: Pick<RawMailStore, 'remove'>,
): Promise<{ receipt: number; rawMail: number }> {
  const key = keys.receipt(receiptId);
  const got = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ProjectionExpression: 'rawKey' }),
  );
  if (!got.Item) return { receipt: 0, rawMail: 0 };
  const rawKey = got.Item.rawKey as string | undefined;
  if (rawKey) await rawMail.remove(rawKey);
  await table.db.send(new DeleteCommand({ TableName: table.name, Key: key }));
  return { receipt: 1, rawMail: rawKey ? 1 : 0 };
}

/**
 * Takes a user out of a Message-ID's owners; the item goes when it names nobody else and no reply
 * is parked under it. The one-row-per-owner item an earlier layout wrote goes too. Returns how many
 * owners items went.
 */
export async function dropMessageOwner(
  table: DynamoTable,
  messageKey: string,
  userId: string,
): Promise<number> {
  const key = keys.messageOwners(messageKey);
  const left = await table
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
      table.db.send(
        new DeleteCommand({
          TableName: table.name,
          Key: key,
          ConditionExpression: 'attribute_not_exists(owners) AND attribute_not_exists(parked)',
        }),
      ),
    );
    if (gone) removed++;
  }
  await table.db.send(
    new DeleteCommand({
      TableName: table.name,
      Key: { PK: key.PK, SK: prefixes.user(userId) },
    }),
  );
  return removed;
}

/** Deletes up to 25 items by key in one BatchWriteItem, until none is left unprocessed. */
export async function deleteItems(table: DynamoTable, items: Item[]): Promise<void> {
  let requests = items.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } }));
  while (requests.length > 0) {
    const out = await table.db.send(
      new BatchWriteCommand({ RequestItems: { [table.name]: requests } }),
    );
    requests = (out.UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
