import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { shortKey } from '#domain/ids.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import type { Attribution, InboundEnvelope, LoggedMessage, Outcome, User } from '#domain/model.ts';
import type {
  AddUserResult,
  ContactView,
  DigestRecord,
  ReceiptRecord,
  ReceiptRef,
  ReceiptSummary,
  RejectionView,
  Store,
} from '#domain/ports.ts';
import { type ThreadMessage, threadFields } from '#domain/threads.ts';
import {
  gsi1,
  gsi2,
  indexNames,
  keys,
  prefixes,
  receiptRetentionDays,
  slotShards,
} from './table-design.ts';

type Item = Record<string, unknown>;

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Runs a conditional write; a failed condition is an expected answer, not an error. */
async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
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
  };
}

/** Of a long References header, the root and the latest few are what link a thread. */
const keptReferences = (ids: string[]) =>
  ids.length <= 21 ? ids : [ids[0] as string, ...ids.slice(-20)];

/**
 * What is kept of a logged message: identity, links, dates, who, tags, what the rules found and a
 * short snippet; never the body. Threads and the nudge ladder are computed from these.
 */
export function messageItem(m: LoggedMessage): Item {
  return {
    ...keys.message(m.userId, m.messageKey),
    ...m,
    references: keptReferences(m.references),
    attribution: m.attribution && {
      ...m.attribution,
      date: m.attribution.date?.toISOString() ?? null,
    },
  };
}

function toLoggedMessage(item: Item): LoggedMessage {
  const {
    PK: _pk,
    SK: _sk,
    attribution,
    ...rest
  } = item as Item & {
    attribution: (Omit<Attribution, 'date'> & { date: string | null }) | null;
  };
  return {
    ...(rest as unknown as LoggedMessage),
    // Messages logged before help-first signals existed have none.
    signals: (rest.signals as LoggedMessage['signals'] | undefined) ?? {},
    attribution: attribution
      ? { ...attribution, date: attribution.date ? new Date(attribution.date) : null }
      : null,
  };
}

/** The projection of message items that building threads needs (every name aliased: some are reserved). */
export const threadProjection = {
  ProjectionExpression: threadFields.map((_, i) => `#f${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(threadFields.map((f, i) => [`#f${i}`, f])),
};

/**
 * A thread message built field by field: decoded items have shapes of their own, and the views walk
 * tens of thousands of these, where one fixed shape makes every property read cheap (measured 2×).
 */
function toThreadMessage(item: Item): ThreadMessage {
  const m = item as unknown as ThreadMessage & { attribution: { date: string | null } | null };
  return {
    messageId: m.messageId,
    messageKey: m.messageKey,
    direction: m.direction,
    via: m.via,
    sentAt: m.sentAt,
    subject: m.subject,
    contacts: m.contacts.map((c) => ({
      address: c.address,
      name: c.name,
      role: c.role,
      awaited: c.awaited,
    })),
    window: m.window ?? null,
    broadcast: m.broadcast,
    kind: m.kind,
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
  };
}

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: () => Date;
}

/** The Store port on one DynamoDB table (or dynalite, which speaks the same API). */
export class DynamoStore implements Store {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: () => Date;

  constructor(options: DynamoStoreOptions) {
    this.#db = options.client;
    this.#table = options.tableName;
    this.#clock = options.clock;
  }

  async #queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({ TableName: this.#table, ...input, ExclusiveStartKey: start }),
      );
      items.push(...((page.Items as Item[] | undefined) ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  #update(input: Omit<UpdateCommandInput, 'TableName'>) {
    return this.#db.send(new UpdateCommand({ TableName: this.#table, ...input }));
  }

  // ── receipts ──────────────────────────────────────────────────────────────

  async beginReceipt(envelope: InboundEnvelope): Promise<ReceiptRecord> {
    const expires = new Date(envelope.receivedAt.getTime() + receiptRetentionDays * 86_400_000);
    const item = {
      ...keys.receipt(envelope.receiptId),
      receiptId: envelope.receiptId,
      rawKey: envelope.rawKey,
      recipients: envelope.recipients,
      mailFrom: envelope.mailFrom,
      receivedAt: envelope.receivedAt.toISOString(),
      verdicts: envelope.verdicts,
      expiresAt: epochSeconds(expires),
    };
    const created = await conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
    if (created) return { envelope, outcome: null, failure: null };
    const existing = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
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
    await this.#update({
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
      this.#update({
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
    const now = DateTime.fromJSDate(this.#clock(), { zone: 'utc' });
    const out: RejectionView[] = [];
    for (let back = 0; back < options.days && out.length < options.limit; back++) {
      const day = now.minus({ days: back }).toISODate() ?? '';
      const items = await this.#queryAll({
        IndexName: indexNames.byGsi1,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': gsi1.rejectedOn(day) },
        ScanIndexForward: false,
      });
      for (const item of items) {
        if (this.#expired(item)) continue;
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
    const items = await this.#queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': gsi1.failed },
    });
    return items
      .filter((i) => !this.#expired(i))
      .slice(0, limit)
      .map((i) => this.#toReceipt(i));
  }

  async getReceipt(receiptId: string): Promise<ReceiptRecord | null> {
    const got = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.receipt(receiptId),
        ConsistentRead: true,
      }),
    );
    return got.Item && !this.#expired(got.Item) ? this.#toReceipt(got.Item) : null;
  }

  async parkReply(answers: string[], receipt: ReceiptRef): Promise<void> {
    const expiresAt = epochSeconds(
      new Date(receipt.receivedAt.getTime() + receiptRetentionDays * 86_400_000),
    );
    await Promise.all(
      answers.map((id) =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...keys.parkedReply(shortKey(id), receipt.receiptId),
              receiptId: receipt.receiptId,
              expiresAt,
            },
          }),
        ),
      ),
    );
  }

  async parkedReplies(messageId: string): Promise<string[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'PK = :p',
      ExpressionAttributeValues: { ':p': keys.parkedReply(shortKey(messageId), '').PK },
    });
    return items.filter((i) => !this.#expired(i)).map((i) => i.receiptId as string);
  }

  async unparkReply(messageId: string, receiptId: string): Promise<void> {
    await this.#db.send(
      new DeleteCommand({
        TableName: this.#table,
        Key: keys.parkedReply(shortKey(messageId), receiptId),
      }),
    );
  }

  #expired(item: Item): boolean {
    const expiresAt = item.expiresAt as number | undefined;
    return expiresAt !== undefined && expiresAt <= epochSeconds(this.#clock());
  }

  // ── digests ───────────────────────────────────────────────────────────────

  async beginDigest(
    userId: string,
    record: Omit<DigestRecord, 'state' | 'finishedAt' | 'messageId' | 'failure'>,
  ): Promise<boolean> {
    return conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.digest(userId, record.localDate), ...record, state: 'sending' },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async finishDigest(
    userId: string,
    localDate: string,
    outcome: { state: 'sent'; messageId: string } | { state: 'failed'; failure: string },
    at: Date,
  ): Promise<void> {
    await this.#update({
      Key: keys.digest(userId, localDate),
      UpdateExpression: 'SET #s = :s, finishedAt = :at, messageId = :m, failure = :f',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: {
        ':s': outcome.state,
        ':at': at.toISOString(),
        ':m': outcome.state === 'sent' ? outcome.messageId : null,
        ':f': outcome.state === 'failed' ? outcome.failure.slice(0, 500) : null,
      },
    });
  }

  async getDigest(userId: string, localDate: string): Promise<DigestRecord | null> {
    const got = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.digest(userId, localDate),
        ConsistentRead: true,
      }),
    );
    if (!got.Item) return null;
    const { PK: _pk, SK: _sk, ...record } = got.Item;
    return {
      finishedAt: null,
      messageId: null,
      failure: null,
      ...(record as Omit<DigestRecord, 'finishedAt' | 'messageId' | 'failure'>),
    };
  }

  async scheduleDigest(
    userId: string,
    next: { slot: string; at: Date; localDate: string },
  ): Promise<void> {
    await this.#update({
      Key: keys.user(userId),
      UpdateExpression: 'SET GSI2PK = :p, GSI2SK = :u, nextDigestAt = :at, nextDigestDate = :d',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: {
        ':p': gsi2.slot(next.slot, gsi2.shardOf(userId)),
        ':u': userId,
        ':at': next.at.toISOString(),
        ':d': next.localDate,
      },
    });
  }

  async pauseDigests(userId: string, at: Date): Promise<void> {
    await this.#update({
      Key: keys.user(userId),
      UpdateExpression: 'SET pausedAt = :at REMOVE GSI2PK, GSI2SK, nextDigestAt, nextDigestDate',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    });
  }

  async usersDueInSlot(slot: string): Promise<string[]> {
    const shards = await Promise.all(
      Array.from({ length: slotShards }, (_, shard) =>
        this.#queryAll({
          IndexName: indexNames.bySlot,
          KeyConditionExpression: 'GSI2PK = :p',
          ExpressionAttributeValues: { ':p': gsi2.slot(slot, shard) },
          ProjectionExpression: 'userId',
        }),
      ),
    );
    return shards.flat().map((i) => i.userId as string);
  }

  async schedulerCursor(): Promise<string | null> {
    const got = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.schedulerCursor(), ConsistentRead: true }),
    );
    return (got.Item?.slot as string | undefined) ?? null;
  }

  /** Moves forward only: two schedulers finishing out of order never move it back. */
  async setSchedulerCursor(slot: string): Promise<void> {
    await conditional(
      this.#update({
        Key: keys.schedulerCursor(),
        UpdateExpression: 'SET slot = :s',
        ConditionExpression: 'attribute_not_exists(slot) OR slot < :s',
        ExpressionAttributeValues: { ':s': slot },
      }),
    );
  }

  async letGoShown(userId: string): Promise<string[]> {
    const got = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.letGoShown(userId) }),
    );
    return [...((got.Item?.keys as Set<string> | undefined) ?? [])];
  }

  async addLetGoShown(userId: string, shown: string[]): Promise<void> {
    if (shown.length === 0) return;
    await this.#update({
      Key: keys.letGoShown(userId),
      UpdateExpression: 'ADD #k :k',
      ExpressionAttributeNames: { '#k': 'keys' },
      ExpressionAttributeValues: { ':k': new Set(shown) },
    });
  }

  // ── users ─────────────────────────────────────────────────────────────────

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
        const put = await this.#db.send(
          new PutCommand({
            TableName: this.#table,
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
      for (const address of claimed) {
        await conditional(
          this.#db.send(
            new DeleteCommand({
              TableName: this.#table,
              Key: keys.address(address),
              ConditionExpression: 'userId = :u',
              ExpressionAttributeValues: { ':u': user.userId },
            }),
          ),
        );
      }
      return { added: false, taken };
    }
    const profile = {
      ...keys.user(user.userId),
      ...user,
      GSI1PK: gsi1.allUsers,
      GSI1SK: user.email,
    };
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: profile }));
    return { added: true };
  }

  async #userIdOf(address: string): Promise<string | null> {
    const got = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.address(address) }),
    );
    return (got.Item?.userId as string | undefined) ?? null;
  }

  async findUserByAddress(address: string): Promise<User | null> {
    const userId = await this.#userIdOf(normaliseAddress(address));
    return userId ? this.getUser(userId) : null;
  }

  async getUser(userId: string): Promise<User | null> {
    const got = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.user(userId) }),
    );
    return got.Item ? toUser(got.Item) : null;
  }

  async listUsers(): Promise<User[]> {
    const items = await this.#queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': gsi1.allUsers },
    });
    return items.map(toUser);
  }

  // ── the ledger ────────────────────────────────────────────────────────────

  async saveLoggedMessage(message: LoggedMessage): Promise<'saved' | 'duplicate'> {
    const { userId, messageKey } = message;
    const created = await conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: messageItem(message),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
    if (!created) {
      // The same receipt again (a retry after a crash) finishes its effects; another receipt of a
      // message already logged is a duplicate, and that receipt's own retry finishes its effects.
      const existing = await this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: keys.message(userId, messageKey),
          ProjectionExpression: 'receiptId',
          ConsistentRead: true,
        }),
      );
      if (existing.Item?.receiptId !== message.receiptId) return 'duplicate';
    }
    await Promise.all([
      // An auto-reply or a bounce is no one writing: it is kept, but it is not a touch.
      ...(message.direction === 'in' && message.kind !== 'personal'
        ? []
        : message.contacts.map((c) => this.#touchContact(message, c.address, c.name))),
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.messageOwner(messageKey, userId), userId, messageKey },
        }),
      ),
    ]);
    return 'saved';
  }

  /**
   * Counts the touch once per message (the applied set guards it) and moves "last out" forward
   * only. The usual case, a new message that is also the latest, takes one request; otherwise
   * (a retry, or older mail arriving late) each effect is applied on its own.
   */
  async #touchContact(message: LoggedMessage, address: string, name: string): Promise<void> {
    const key = keys.contact(message.userId, address);
    const [touches, last] =
      message.direction === 'out' ? ['touchesOut', 'lastOutAt'] : ['touchesIn', 'lastInAt'];
    const count = {
      update: `ADD ${touches} :one, applied :ids SET address = :a, #n = if_not_exists(#n, :name)`,
      unapplied: 'attribute_not_exists(applied) OR NOT contains(applied, :id)',
      names: { '#n': 'name' },
      values: {
        ':one': 1,
        ':ids': new Set([message.touchKey]),
        ':id': message.touchKey,
        ':a': address,
        ':name': name,
      },
    };
    const later = `attribute_not_exists(${last}) OR ${last} < :at`;
    const both = await conditional(
      this.#update({
        Key: key,
        UpdateExpression: `${count.update}, ${last} = :at`,
        ConditionExpression: `(${count.unapplied}) AND (${later})`,
        ExpressionAttributeNames: count.names,
        ExpressionAttributeValues: { ...count.values, ':at': message.sentAt },
      }),
    );
    if (both) return;
    await conditional(
      this.#update({
        Key: key,
        UpdateExpression: count.update,
        ConditionExpression: count.unapplied,
        ExpressionAttributeNames: count.names,
        ExpressionAttributeValues: count.values,
      }),
    );
    await conditional(
      this.#update({
        Key: key,
        UpdateExpression: `SET ${last} = :at`,
        ConditionExpression: later,
        ExpressionAttributeValues: { ':at': message.sentAt },
      }),
    );
  }

  async listContacts(userId: string): Promise<ContactView[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': prefixes.user(userId), ':s': prefixes.contacts },
    });
    return items.map((i) => ({
      address: i.address as string,
      name: (i.name as string | undefined) ?? '',
      touchesOut: (i.touchesOut as number | undefined) ?? 0,
      touchesIn: (i.touchesIn as number | undefined) ?? 0,
      lastOutAt: (i.lastOutAt as string | undefined) ?? null,
      lastInAt: (i.lastInAt as string | undefined) ?? null,
    }));
  }

  async listMessages(userId: string): Promise<LoggedMessage[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': prefixes.user(userId), ':s': prefixes.messages },
    });
    return items.map(toLoggedMessage);
  }

  /** The user's messages with only what building threads reads: less to read, less to decode. */
  async listThreadMessages(userId: string): Promise<ThreadMessage[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':p': prefixes.user(userId), ':s': prefixes.messages },
      ...threadProjection,
    });
    return items.map(toThreadMessage);
  }

  async ownersOfMessages(messageIds: string[]): Promise<string[]> {
    const owners = new Set<string>();
    for (const id of messageIds) {
      const items = await this.#queryAll({
        KeyConditionExpression: 'PK = :p',
        ExpressionAttributeValues: { ':p': keys.messageOwner(shortKey(id), '').PK },
      });
      for (const item of items) owners.add(item.userId as string);
    }
    return [...owners];
  }
}
