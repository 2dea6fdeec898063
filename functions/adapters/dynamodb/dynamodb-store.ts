import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
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
import { shortKey, userIdFor } from '#domain/ids.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import type { Attribution, InboundEnvelope, LoggedMessage, Outcome, User } from '#domain/model.ts';
import type {
  AddUserResult,
  DigestRecord,
  ReceiptRecord,
  ReceiptRef,
  ReceiptSummary,
  RejectionView,
  SaveResult,
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

/**
 * A receipt begun this long ago without an outcome is taken for one whose process died: longer than
 * any ingest runs (the function's timeout is shorter), so redrive never races a live ingest.
 */
export const stalledAfterMs = 5 * 60_000;

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
    const began = this.#clock().toISOString();
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
    const failed = await this.#queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': gsi1.failed },
    });
    // Receipts left without an outcome, on each day a receipt can still be kept.
    const now = this.#clock();
    const stalledBefore = new Date(now.getTime() - stalledAfterMs).toISOString();
    const today = DateTime.fromJSDate(now, { zone: 'utc' });
    const stalled = await Promise.all(
      Array.from({ length: receiptRetentionDays + 1 }, (_, back) =>
        this.#queryAll({
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
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...keys.parkedReply(shortKey(id), receipt.receiptId),
              receiptId: receipt.receiptId,
              expiresAt,
            },
          }),
        );
        await this.#update({
          Key: keys.messageOwners(shortKey(id)),
          UpdateExpression: 'SET parked = :t',
          ExpressionAttributeValues: { ':t': true },
        });
      }),
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
      const out = await this.#db.send(
        new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: wanted } } }),
      );
      got.push(...((out.Responses?.[this.#table] as Item[] | undefined) ?? []));
      wanted = (out.UnprocessedKeys?.[this.#table]?.Keys ?? []) as Record<string, string>[];
    }
    const claim = got.find((i) => i.PK === claimKey.PK);
    const userId = claim?.userId as string | undefined;
    if (!userId) return null;
    const profile = got.find((i) => i.PK === keys.user(userId).PK);
    return profile ? toUser(profile) : this.getUser(userId);
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
    const owners = await this.#update({
      Key: keys.messageOwners(messageKey),
      UpdateExpression: 'ADD owners :u',
      ExpressionAttributeValues: { ':u': new Set([userId]) },
      ReturnValues: 'ALL_NEW',
    });
    const repliesParked = owners.Attributes?.parked === true;
    const created = await conditional(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: messageItem(message),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
    if (created) return { status: 'saved', repliesParked };
    const existing = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.message(userId, messageKey),
        ProjectionExpression: 'receiptId',
        ConsistentRead: true,
      }),
    );
    const loggedBy = existing.Item?.receiptId as string;
    if (loggedBy === message.receiptId) return { status: 'saved', repliesParked };
    const original = await this.getReceipt(loggedBy);
    if (original && original.outcome === null) return { status: 'saved', repliesParked };
    return { status: 'duplicate', loggedBy };
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
      // The owners item, and the one-row-per-owner items an earlier layout wrote (`SK=USER#…`).
      const items = await this.#queryAll({
        KeyConditionExpression: 'PK = :p',
        ExpressionAttributeValues: { ':p': keys.messageOwners(shortKey(id)).PK },
      });
      for (const item of items) {
        for (const owner of (item.owners as Set<string> | undefined) ?? []) owners.add(owner);
        if (typeof item.userId === 'string') owners.add(item.userId);
      }
    }
    return [...owners];
  }
}
