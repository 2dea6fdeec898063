import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LoggedMessage } from '#domain/model.ts';
import type { AccountStore, DigestItemRef, RawMailStore } from '#domain/ports.ts';
import type { DynamoTable } from './dynamodb-table.ts';
import { messageItem } from './ledger-store.ts';
import { keys } from './table-design.ts';
import { deleteItems, dropMessageOwner, dropReceipt } from './user-deletion.ts';

/**
 * What `forget` writes: messages, steers, digest items and let-go names of one contact, each write
 * idempotent by itself (docs/storage.md, "Forgetting a contact").
 */
export class DynamoAccountStore implements AccountStore {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  /** The owner entry first and the message item last: a retry finds the message and goes on. */
  async removeMessage(userId: string, messageKey: string): Promise<void> {
    await dropMessageOwner(this.#t, messageKey, userId);
    await deleteItems(this.#t, [keys.message(userId, messageKey)]);
  }

  async replaceMessage(message: LoggedMessage): Promise<void> {
    await this.#t.db.send(new PutCommand({ TableName: this.#t.name, Item: messageItem(message) }));
  }

  async removeSteers(userId: string, steerKeys: string[]): Promise<void> {
    await deleteItems(
      this.#t,
      steerKeys.map((k) => keys.steer(userId, k)),
    );
  }

  async replaceDigestItems(
    userId: string,
    localDate: string,
    items: DigestItemRef[],
  ): Promise<void> {
    await this.#t.update({
      Key: keys.digest(userId, localDate),
      UpdateExpression: 'SET #i = :i',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#i': 'items' },
      ExpressionAttributeValues: { ':i': items },
    });
  }

  async removeLetGoShown(userId: string, shown: string[]): Promise<void> {
    if (shown.length === 0) return;
    await this.#t.update({
      Key: keys.letGoShown(userId),
      UpdateExpression: 'DELETE #k :k',
      ExpressionAttributeNames: { '#k': 'keys' },
      ExpressionAttributeValues: { ':k': new Set(shown) },
    });
  }

  async removeReceipt(receiptId: string, rawMail: Pick<RawMailStore, 'remove'>): Promise<void> {
    await dropReceipt(this.#t, receiptId, rawMail);
  }
}
