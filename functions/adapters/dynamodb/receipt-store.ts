import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { shortKey } from '#domain/ids.ts';
import type { InboundEnvelope, Outcome } from '#domain/model.ts';
import type {
  ReceiptRecord,
  ReceiptRef,
  ReceiptStore,
  ReceiptSummary,
  RejectionView,
} from '#domain/ports.ts';
import { conditional, type DynamoTable, epochSeconds, type Item } from './dynamodb-table.ts';
import { markRepliesParked } from './ledger-store.ts';
import { gsi1, indexNames, keys, receiptRetentionDays } from './table-design.ts';

/**
 * A receipt begun this long ago without an outcome is taken for one whose process died: longer than
 * any ingest runs (the function's timeout is shorter), so redrive never races a live ingest.
 */
export const stalledAfterMs = 5 * 60_000;

/** Receipts: one per delivery, its outcome, the rejection, failure and in-progress listings, parked replies. */
export class DynamoReceiptStore implements ReceiptStore {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  async beginReceipt(envelope: InboundEnvelope): Promise<ReceiptRecord> {
    const expires = new Date(envelope.receivedAt.getTime() + receiptRetentionDays * 86_400_000);
    const began = this.#t.clock().toISOString();
    const item = {
      ...keys.receipt(envelope.receiptId),
      receiptId: envelope.receiptId,
      rawKey: envelope.rawKey,
      recipients: envelope.recipients,
      mailFrom: envelope.mailFrom,
      receivedAt: envelope.receivedAt.toISOString(),
      verdicts: envelope.verdicts,
      expiresAt: epochSeconds(expires),
      // In progress, since now, until its outcome (or failure) replaces this entry: a receipt whose
      // process died stays listed here, for redrive. Not by receivedAt: a retried event can begin
      // long after the mail arrived.
      GSI1PK: gsi1.inProgressOn(began.slice(0, 10)),
      GSI1SK: `${began}#${envelope.receiptId}`,
    };
    const created = await conditional(
      this.#t.db.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
    if (created) return { envelope, outcome: null, failure: null };
    const existing = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.receipt(envelope.receiptId),
        ConsistentRead: true,
      }),
    );
    return this.#toReceipt(existing.Item ?? item);
  }

  #toReceipt(item: Item): ReceiptRecord {
    return {
      envelope: {
        receiptId: item.receiptId as string,
        rawKey: item.rawKey as string,
        recipients: item.recipients as string[],
        mailFrom: item.mailFrom as string,
        receivedAt: new Date(item.receivedAt as string),
        verdicts: item.verdicts as InboundEnvelope['verdicts'],
      },
      outcome: (item.outcome as Outcome | undefined) ?? null,
      failure: (item.failure as string | undefined) ?? null,
    };
  }

  async finishReceipt(
    receipt: ReceiptRef,
    outcome: Outcome,
    summary: ReceiptSummary,
  ): Promise<void> {
    const { receiptId } = receipt;
    const receivedAt = receipt.receivedAt.toISOString();
    const rejected = outcome.status === 'rejected';
    await this.#t.update({
      Key: keys.receipt(receiptId),
      UpdateExpression: rejected
        ? 'SET outcome = :o, summary = :s, GSI1PK = :g, GSI1SK = :gs REMOVE failure'
        : 'SET outcome = :o, summary = :s REMOVE failure, GSI1PK, GSI1SK',
      ExpressionAttributeValues: {
        ':o': outcome,
        ':s': summary,
        ...(rejected
          ? { ':g': gsi1.rejectedOn(receivedAt.slice(0, 10)), ':gs': `${receivedAt}#${receiptId}` }
          : {}),
      },
    });
  }

  /** Marks a receipt failed, for redrive; a receipt that already has an outcome stays as it is. */
  async failReceipt(receipt: ReceiptRef, failure: string): Promise<void> {
    const { receiptId } = receipt;
    const receivedAt = receipt.receivedAt.toISOString();
    await conditional(
      this.#t.update({
        Key: keys.receipt(receiptId),
        UpdateExpression: 'SET failure = :f, GSI1PK = :g, GSI1SK = :gs',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(outcome)',
        ExpressionAttributeValues: {
          ':f': failure.slice(0, 500),
          ':g': gsi1.failed,
          ':gs': `${receivedAt}#${receiptId}`,
        },
      }),
    );
  }

  async listRejections(options: { days: number; limit: number }): Promise<RejectionView[]> {
    const now = DateTime.fromJSDate(this.#t.clock(), { zone: 'utc' });
    const out: RejectionView[] = [];
    for (let back = 0; back < options.days && out.length < options.limit; back++) {
      const day = now.minus({ days: back }).toISODate() ?? '';
      const items = await this.#t.queryAll({
        IndexName: indexNames.byGsi1,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': gsi1.rejectedOn(day) },
        ScanIndexForward: false,
      });
      for (const item of items) {
        if (this.#t.expired(item)) continue;
        const outcome = item.outcome as Extract<Outcome, { status: 'rejected' }>;
        const summary = (item.summary as ReceiptSummary | undefined) ?? {};
        out.push({
          receiptId: item.receiptId as string,
          receivedAt: item.receivedAt as string,
          recipients: item.recipients as string[],
          from: summary.from ?? null,
          subject: summary.subject ?? null,
          reason: outcome.reason,
          detail: outcome.detail,
        });
      }
    }
    return out.slice(0, options.limit);
  }

  async listFailedReceipts(limit: number): Promise<ReceiptRecord[]> {
    const failed = await this.#t.queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': gsi1.failed },
    });
    // Receipts left without an outcome, on each day a receipt can still be kept.
    const now = this.#t.clock();
    const stalledBefore = new Date(now.getTime() - stalledAfterMs).toISOString();
    const today = DateTime.fromJSDate(now, { zone: 'utc' });
    const stalled = await Promise.all(
      Array.from({ length: receiptRetentionDays + 1 }, (_, back) =>
        this.#t.queryAll({
          IndexName: indexNames.byGsi1,
          KeyConditionExpression: 'GSI1PK = :p AND GSI1SK < :before',
          ExpressionAttributeValues: {
            ':p': gsi1.inProgressOn(today.minus({ days: back }).toISODate() ?? ''),
            ':before': stalledBefore,
          },
        }),
      ),
    );
    return [...failed, ...stalled.reverse().flat()]
      .filter((i) => !this.#t.expired(i))
      .slice(0, limit)
      .map((i) => this.#toReceipt(i));
  }

  async getReceipt(receiptId: string): Promise<ReceiptRecord | null> {
    const got = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.receipt(receiptId),
        ConsistentRead: true,
      }),
    );
    return got.Item && !this.#t.expired(got.Item) ? this.#toReceipt(got.Item) : null;
  }

  /**
   * Parks the reply under each Message-ID it answers, then flags that Message-ID's owners item: the
   * flag comes back with the owner write of whoever logs that message, which then looks for the
   * parked replies (written before the flag, so they are there to be found).
   */
  async parkReply(answers: string[], receipt: ReceiptRef): Promise<void> {
    const expiresAt = epochSeconds(
      new Date(receipt.receivedAt.getTime() + receiptRetentionDays * 86_400_000),
    );
    await Promise.all(
      answers.map(async (id) => {
        await this.#t.db.send(
          new PutCommand({
            TableName: this.#t.name,
            Item: {
              ...keys.parkedReply(shortKey(id), receipt.receiptId),
              receiptId: receipt.receiptId,
              expiresAt,
            },
          }),
        );
        await markRepliesParked(this.#t, shortKey(id));
      }),
    );
  }

  async parkedReplies(messageId: string): Promise<string[]> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p',
      ExpressionAttributeValues: { ':p': keys.parkedReply(shortKey(messageId), '').PK },
    });
    return items.filter((i) => !this.#t.expired(i)).map((i) => i.receiptId as string);
  }

  async unparkReply(messageId: string, receiptId: string): Promise<void> {
    await this.#t.db.send(
      new DeleteCommand({
        TableName: this.#t.name,
        Key: keys.parkedReply(shortKey(messageId), receiptId),
      }),
    );
  }
}
