import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { shortKey } from '#domain/ids.ts';
import type { Attribution, LoggedMessage } from '#domain/model.ts';
import type { LedgerStore, ReceiptStore, SaveResult } from '#domain/ports.ts';
import { afterHorizon } from '#domain/retention.ts';
import { type ThreadMessage, threadFields } from '#domain/threads.ts';
import { conditional, type DynamoTable, epochSeconds, type Item } from './dynamodb-table.ts';
import { gsi1, keys, prefixes } from './table-design.ts';

/** Of a long References header, the root and the latest few are what link a thread. */
const keptReferences = (ids: string[]) =>
  ids.length <= 21 ? ids : [ids[0] as string, ...ids.slice(-20)];

/**
 * Values most messages have, left out of their items and put back when read: a message item is
 * stored for 13 months (with point-in-time recovery), and written with its index entry, so its
 * bytes are paid for many times. Old items that carry them read the same.
 */
const usualValues = (): Partial<LoggedMessage> => ({
  messageIdSource: 'header',
  dateSource: 'header',
  kind: 'personal',
  asksSomething: false,
  broadcast: false,
  window: null,
  outOfOffice: null,
  attribution: null,
  inReplyTo: [],
  references: [],
  signals: {},
  tags: { kinds: [], window: null, unknown: [] },
});

/**
 * What is kept of a logged message: identity, links, dates, who, tags, what the rules found and a
 * short snippet; never the body. Threads and the nudge ladder are computed from these. The user id
 * and the message key are the item's keys, not attributes too; the usual values are left out, and
 * the touch key when it is the message key.
 */
export function messageItem(
  m: LoggedMessage,
  /** When the store writes it: the item is in the user's `RECENT#` listing until a checkpoint holds it. */
  loggedAt = m.receivedAt ?? m.sentAt,
): Item {
  const { userId: _userId, messageKey: _messageKey, ...fields } = m;
  const item: Item = {
    ...keys.message(m.userId, m.messageKey),
    GSI1PK: gsi1.recent(m.userId),
    GSI1SK: gsi1.recentEntry(loggedAt, m.messageKey),
    loggedAt,
    ...fields,
    references: keptReferences(m.references),
    attribution: m.attribution && {
      ...m.attribution,
      date: m.attribution.date?.toISOString() ?? null,
    },
  };
  for (const [name, usual] of Object.entries(usualValues())) {
    if (isDeepStrictEqual(item[name], usual)) delete item[name];
  }
  if (item.touchKey === m.messageKey) delete item.touchKey;
  return item;
}

/** The user id and message key a message item is keyed by. */
const idsOf = (item: Item) => ({
  userId: String(item.PK).slice(prefixes.user('').length),
  messageKey: String(item.SK).slice(prefixes.messages.length),
});

function toLoggedMessage(item: Item): LoggedMessage {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _gsi1pk,
    GSI1SK: _gsi1sk,
    loggedAt: _loggedAt,
    expiresAt: _expiresAt,
    attribution,
    ...rest
  } = item as Item & {
    attribution?: (Omit<Attribution, 'date'> & { date: string | null }) | null;
  };
  const ids = idsOf(item);
  return {
    ...usualValues(),
    ...ids,
    ...(rest as unknown as Omit<LoggedMessage, 'userId' | 'messageKey'>),
    touchKey: (rest.touchKey as string | undefined) ?? ids.messageKey,
    attribution: attribution
      ? { ...attribution, date: attribution.date ? new Date(attribution.date) : null }
      : null,
  };
}

/** The projection of message items that building threads needs (every name aliased: some are reserved). */
const projected = [...threadFields, 'SK', 'loggedAt', 'expiresAt'];
export const threadProjection = {
  ProjectionExpression: projected.map((_, i) => `#f${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(projected.map((f, i) => [`#f${i}`, f])),
};

/**
 * A thread message built field by field: decoded items have shapes of their own, and the views walk
 * tens of thousands of these, where one fixed shape makes every property read cheap (measured 2×).
 */
export function toThreadMessage(item: Item): ThreadMessage {
  const m = item as unknown as ThreadMessage & { attribution?: { date: string | null } | null };
  return {
    messageId: m.messageId,
    // Items written before the key was left out carry it; the sort key always does.
    messageKey: m.messageKey ?? idsOf(item).messageKey,
    direction: m.direction,
    via: m.via,
    sentAt: m.sentAt,
    receivedAt: m.receivedAt ?? m.sentAt,
    subject: m.subject,
    contacts: m.contacts.map((c) => ({
      address: c.address,
      name: c.name,
      role: c.role,
      awaited: c.awaited,
    })),
    window: m.window ?? null,
    broadcast: m.broadcast ?? false,
    kind: m.kind ?? 'personal',
    outOfOffice: m.outOfOffice ?? null,
    attribution: m.attribution
      ? {
          name: m.attribution.name,
          address: m.attribution.address,
          date: m.attribution.date ? new Date(m.attribution.date) : null,
          line: m.attribution.line,
        }
      : null,
    inReplyTo: m.inReplyTo ?? [],
    references: m.references ?? [],
    signals: m.signals ?? {},
    loggedAt: m.loggedAt,
  };
}
/**
 * When a Message-ID's owners item expires: the horizon after the message's date, or after it was
 * logged when that is later (imported history). A Cc'd reply later than that finds no message item
 * of a settled message either (docs/storage.md, "The horizon").
 */
const ownersExpiry = (sentAt: string, loggedAt: string) =>
  afterHorizon(sentAt > loggedAt ? sentAt : loggedAt);

/**
 * Flags a Message-ID's owners item: replies are parked under it. Whoever logs that message next
 * learns it from its owner write (see saveLoggedMessage).
 */
export async function markRepliesParked(table: DynamoTable, messageKey: string): Promise<void> {
  await table.update({
    Key: keys.messageOwners(messageKey),
    UpdateExpression: 'SET parked = :t',
    ExpressionAttributeValues: { ':t': true },
  });
}

/** The ledger: logged messages, the views' read of them, and the owners of each Message-ID. */
export class DynamoLedgerStore implements LedgerStore {
  readonly #t: DynamoTable;
  readonly #receipts: Pick<ReceiptStore, 'getReceipt'>;

  /** `receipts` says whether the receipt that logged a message finished. */
  constructor(table: DynamoTable, receipts: Pick<ReceiptStore, 'getReceipt'>) {
    this.#t = table;
    this.#receipts = receipts;
  }

  /**
   * Writes the Message-ID owner first (its answer says whether replies are parked under it), then
   * the message item, only if absent: the commit point. The owner write is idempotent, so a retry
   * after a crash anywhere completes the message. When the item exists, the receipt that wrote it
   * decides: this same receipt (a retry), or another that never finished (a crash before its
   * outcome; a client's retry comes with a new receipt id), goes on to the effects after the commit;
   * another that finished makes this one a duplicate.
   */
  async saveLoggedMessage(message: LoggedMessage): Promise<SaveResult> {
    const { userId, messageKey } = message;
    const now = this.#t.clock().toISOString();
    const owners = await this.#t.update({
      Key: keys.messageOwners(messageKey),
      UpdateExpression: 'ADD owners :u SET expiresAt = :e',
      ExpressionAttributeValues: {
        ':u': new Set([userId]),
        ':e': epochSeconds(ownersExpiry(message.sentAt, now)),
      },
      ReturnValues: 'ALL_NEW',
    });
    const repliesParked = owners.Attributes?.parked === true;
    const created = await conditional(
      this.#t.db.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: messageItem(message, now),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
    if (created) return { status: 'saved', repliesParked };
    const existing = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.message(userId, messageKey),
        ProjectionExpression: 'receiptId',
        ConsistentRead: true,
      }),
    );
    const loggedBy = existing.Item?.receiptId as string;
    if (loggedBy === message.receiptId) return { status: 'saved', repliesParked };
    const original = await this.#receipts.getReceipt(loggedBy);
    if (original && original.outcome === null) return { status: 'saved', repliesParked };
    return { status: 'duplicate', loggedBy };
  }

  async listMessages(userId: string): Promise<LoggedMessage[]> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': prefixes.user(userId), ':s': prefixes.messages },
    });
    return items.filter((item) => !this.#t.expired(item)).map(toLoggedMessage);
  }

  /** The user's messages with only what building threads reads: less to read, less to decode. */
  async listThreadMessages(userId: string): Promise<ThreadMessage[]> {
    const items = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': prefixes.user(userId), ':s': prefixes.messages },
      ...threadProjection,
    });
    return items.filter((item) => !this.#t.expired(item)).map(toThreadMessage);
  }

  async ownersOfMessages(messageIds: string[]): Promise<string[]> {
    const owners = new Set<string>();
    for (const id of messageIds) {
      // The owners item, and the one-row-per-owner items an earlier layout wrote (`SK=USER#…`).
      const items = await this.#t.queryAll({
        KeyConditionExpression: 'PK = :p',
        ExpressionAttributeValues: { ':p': keys.messageOwners(shortKey(id)).PK },
      });
      for (const item of items) {
        if (this.#t.expired(item)) continue;
        for (const owner of (item.owners as Set<string> | undefined) ?? []) owners.add(owner);
        if (typeof item.userId === 'string') owners.add(item.userId);
      }
    }
    return [...owners];
  }

  async recipientsOfSentMessages(userId: string, messageIds: string[]): Promise<string[]> {
    const recipients = new Set<string>();
    for (const id of messageIds) {
      const got = await this.#t.db.send(
        new GetCommand({
          TableName: this.#t.name,
          Key: keys.message(userId, shortKey(id)),
          ProjectionExpression: '#d, #c, expiresAt',
          ExpressionAttributeNames: { '#d': 'direction', '#c': 'contacts' },
        }),
      );
      if (got.Item?.direction !== 'out' || this.#t.expired(got.Item)) continue;
      for (const c of got.Item.contacts as { address: string }[]) recipients.add(c.address);
    }
    return [...recipients];
  }
}
