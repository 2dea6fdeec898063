import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import type { Outcome, User } from '#domain/model.ts';
import type { DeletedUser, DeleteUserOptions, RawMailStore } from '#domain/ports.ts';
import { rawMailRetentionDays } from '#domain/retention.ts';
import { conditional, type DynamoTable, type Item } from './dynamodb-table.ts';
import { gsi1, indexNames, keys, prefixes } from './table-design.ts';
import { releaseAddress } from './user-store.ts';

/** Deletes run this many at a time. */
const batchSize = 25;

/** Runs `work` on each of `all`, `batchSize` at a time. */
async function inBatches<T, R>(all: T[], work: (one: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < all.length; i += batchSize) {
    out.push(...(await Promise.all(all.slice(i, i + batchSize).map(work))));
  }
  return out;
}

/**
 * Removes every item of a user (docs/storage.md, "Deleting a user"): with a raw-mail store, the raw
 * mail of the receipts that logged their messages, brought their command mails or were rejected for
 * them, and those receipts; their Message-IDs' owner entries; everything under `USER#<userId>`; their address
 * claims; and the profile last, so that a run cut short leaves the user listed and a second run
 * finishes it. Parked replies name no user in their keys and expire with the raw mail.
 */
export class DynamoUserDeletion {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  /**
   * The user's rejected mail (a message that logged nothing): listed by the day it arrived, one
   * Query a day over the days raw mail is kept, since no item of the user names it.
   */
  async #rejectedReceipts(userId: string): Promise<string[]> {
    const now = DateTime.fromJSDate(this.#t.clock(), { zone: 'utc' });
    const found: string[] = [];
    for (let back = 0; back <= rawMailRetentionDays + 1; back++) {
      const items = await this.#t.queryAll({
        IndexName: indexNames.byGsi1,
        KeyConditionExpression: 'GSI1PK = :p',
        FilterExpression: 'outcome.userId = :u',
        ExpressionAttributeValues: {
          ':p': gsi1.rejectedOn(now.minus({ days: back }).toISODate() ?? ''),
          ':u': userId,
        },
        ProjectionExpression: 'receiptId',
      });
      found.push(...items.map((i) => i.receiptId as string));
    }
    return found;
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
      profile: false,
      receipts: 0,
      rawMail: 0,
    };
    // The records of mails about joining name the address, the zone guessed from its mail and the
    // receipt they answered.
    const addresses = [user.email, ...user.aliases];
    const joinMails = (
      await Promise.all(
        addresses.map((address) =>
          this.#t.queryAll({
            KeyConditionExpression: 'PK = :p',
            ExpressionAttributeValues: { ':p': prefixes.joinMails(address) },
            ProjectionExpression: 'PK, SK, receiptId',
          }),
        ),
      )
    ).flat();
    if (options.rawMail) {
      // First, while the items that name the receipts are still there to find them by.
      const receipts = new Set(
        [
          ...items.map((i) => i.receiptId),
          ...joinMails.map((i) => i.receiptId),
          ...(await this.#rejectedReceipts(user.userId)),
        ].filter((r): r is string => typeof r === 'string' && r !== options.keepReceipt),
      );
      const rawMail = options.rawMail;
      for (const gone of await inBatches([...receipts], (r) => dropReceipt(this.#t, r, rawMail))) {
        deleted.receipts += gone.receipt;
        deleted.rawMail += gone.rawMail;
      }
    }
    const messageKeys = items
      .map((i) => i.SK as string)
      .filter((sk) => sk.startsWith(prefixes.messages))
      .map((sk) => sk.slice(prefixes.messages.length));
    for (const removed of await inBatches(messageKeys, (k) =>
      dropMessageOwner(this.#t, k, user.userId),
    )) {
      deleted.ownerRows += removed;
    }
    const profile = keys.user(user.userId);
    const rest = items.filter((i) => i.SK !== profile.SK);
    await deleteItems(this.#t, rest);
    for (const item of rest) {
      const sk = item.SK as string;
      if (sk.startsWith(prefixes.messages)) deleted.messages++;
      else if (sk.startsWith(prefixes.digests)) deleted.digests++;
      else deleted.other++;
    }
    await deleteItems(this.#t, joinMails);
    deleted.other += joinMails.length;
    for (const address of addresses) {
      if (await releaseAddress(this.#t, address, user.userId)) deleted.addresses++;
    }
    const gone = await this.#t.db.send(
      new DeleteCommand({ TableName: this.#t.name, Key: profile, ReturnValues: 'ALL_OLD' }),
    );
    deleted.profile = gone.Attributes !== undefined;
    return deleted;
  }
}

/**
 * A receipt's raw mail, then the receipt (which is how the raw mail is found). Raw mail is counted
 * only when it was kept: ingest deleted that of a logged message or a duplicate already (it is
 * removed again all the same, in case that failed).
 */
export async function dropReceipt(
  table: DynamoTable,
  receiptId: string,
  rawMail: Pick<RawMailStore, 'remove'>,
): Promise<{ receipt: number; rawMail: number }> {
  const key = keys.receipt(receiptId);
  const got = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ProjectionExpression: 'rawKey, outcome' }),
  );
  if (!got.Item) return { receipt: 0, rawMail: 0 };
  const rawKey = got.Item.rawKey as string | undefined;
  const status = (got.Item.outcome as Outcome | undefined)?.status;
  if (rawKey) await rawMail.remove(rawKey);
  await table.db.send(new DeleteCommand({ TableName: table.name, Key: key }));
  const kept = rawKey !== undefined && status !== 'logged' && status !== 'duplicate';
  return { receipt: 1, rawMail: kept ? 1 : 0 };
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

/**
 * Deletes items by key, a few at a time: one DeleteItem each rather than BatchWriteItem, which no
 * function is granted (the ingest function deletes a user who asks by reply).
 */
export async function deleteItems(table: DynamoTable, items: Item[]): Promise<void> {
  await inBatches(items, (i) =>
    table.db.send(new DeleteCommand({ TableName: table.name, Key: { PK: i.PK, SK: i.SK } })),
  );
}
