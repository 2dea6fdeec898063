import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PausedContact } from '#domain/help-first.ts';
import {
  type ColdContact,
  type HistoryCheckpoint,
  type SettledIds,
  type SettledShards,
  withColdPaused,
  withSettledIds,
} from '#domain/history-checkpoint.ts';
import type { HistoryStore } from '#domain/ports.ts';
import type { ThreadMessage } from '#domain/threads.ts';
import {
  checkpointCompression,
  checkpointLayout,
  compressCheckpoint,
  decodeCold,
  decompressCheckpoint,
  encodeCold,
  textOf,
} from './checkpoint-codec.ts';
import { conditional, type DynamoTable, epochSeconds, type Item } from './dynamodb-table.ts';
import { threadProjection, toThreadMessage } from './ledger-store.ts';
import { gsi1, indexNames, keys, prefixes } from './table-design.ts';

/** Under DynamoDB's 400 KB item limit, with room for the keys. */
export const checkpointChunkBytes = 350_000;
/** Writes in flight at once: settling messages, checkpoint chunks and shards. */
const writesInFlight = 8;
/** Tries at adding ids to a shard another refresh is writing at the same time. */
const shardTries = 5;

/** A settled-id shard as stored: each filter's bits as binary. */
const shardItem = (filters: SettledIds[]) => ({
  filters: filters.map((f) => ({ ...f, bits: Buffer.from(f.bits, 'base64') })),
});
/** A shard's content hash, of the text it is stored as (or, for a filter, of its JSON). */
const contentHash = (text: string) =>
  createHash('sha256').update(text).digest('base64').slice(0, 22);
/** The layout a checkpoint head names (checkpoint-codec.ts); a head that names none is layout 1. */
const layoutOf = (head: Item) => Number(head.layout ?? 1);
/** How many shards the cold contacts are split into: a view reads those of the people mail since names. */
const coldShards = 256;
const coldShardOf = (address: string) =>
  createHash('sha256').update(address).digest().readUInt32BE(0) % coldShards;
/**
 * A shard of cold contacts as stored: gzip'd JSON (checkpoint-codec.ts), hashed as written. (A
 * shard written before, hashed from its contacts' JSON, is written once more on its next change.)
 */
const coldItem = (cold: ColdContact[]) => {
  const json = encodeCold(cold);
  return { hash: contentHash(json), attributes: { data: gzipSync(json) } };
};
const coldOf = (item: Item | undefined): ColdContact[] =>
  item ? decodeCold(textOf(gunzipSync(item.data as Uint8Array))) : [];
const filtersOf = (item: Item | undefined): SettledIds[] =>
  ((item?.filters ?? []) as (SettledIds & { bits: Uint8Array })[]).map((f) => ({
    bits: Buffer.from(f.bits).toString('base64'),
    count: Number(f.count),
    capacity: Number(f.capacity),
    hashes: Number(f.hashes),
  }));

/**
 * A user's history checkpoint (compressed JSON in chunks under a generation, checkpoint-codec.ts,
 * named by a head item that only moves forward) and the listing of the messages logged since (sparse GSI1 `RECENT#`).
 */
export class DynamoHistoryStore implements HistoryStore {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  async getCheckpoint(userId: string): Promise<HistoryCheckpoint | null> {
    const head = await this.#head(userId);
    if (!head || layoutOf(head) > checkpointLayout) return null;
    const generation = head.generation as string;
    const count = head.chunks as number;
    const chunks = new Map<string, Uint8Array>();
    const got = await this.#getAll(
      Array.from({ length: count }, (_, n) => keys.checkpointChunk(userId, generation, n)),
    );
    for (const item of got) chunks.set(item.SK as string, item.data as Uint8Array);
    const parts = Array.from({ length: count }, (_, n) => {
      const part = chunks.get(keys.checkpointChunk(userId, generation, n).SK);
      if (!part) throw new Error(`checkpoint chunk ${n} of ${generation} is missing`);
      return part;
    });
    // One chunk (most checkpoints) is unpacked as it came.
    const packed = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
    const checkpoint = decompressCheckpoint(packed, head.compression as string | undefined);
    // A checkpoint written before the settled ids were sharded holds its own filters: none here
    // holds them, so it is no checkpoint (views read everything; the next refresh builds anew).
    if ('settled' in checkpoint) return null;
    return checkpoint;
  }

  /** The user's checkpoint head (only `attributes`, when named), as it is now: a refresh may just have moved it. */
  async #head(userId: string, attributes?: string): Promise<Item | undefined> {
    const head = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.checkpointHead(userId),
        ...(attributes ? { ProjectionExpression: attributes } : {}),
        ConsistentRead: true,
      }),
    );
    return head.Item;
  }

  async getSettledIds(userId: string, shards: number[]): Promise<SettledShards> {
    const got = await this.#getAll(shards.map((shard) => keys.settledIds(userId, shard)));
    const bySk = new Map(got.map((item) => [item.SK as string, item]));
    return new Map(
      shards.map((shard) => [shard, filtersOf(bySk.get(keys.settledIds(userId, shard).SK))]),
    );
  }

  /**
   * Adds ids to their shards' filters: each shard read, the ids added, and put back only if it
   * changed, and only if no one wrote it meanwhile (else read again): filters only ever grow.
   */
  async #settle(userId: string, settle: ReadonlyMap<number, string[]>): Promise<void> {
    await this.#rewriteShards(
      [...settle.keys()].map((shard) => keys.settledIds(userId, shard)),
      (key, item) => {
        const shard = Number(key.SK.slice(key.SK.indexOf('#') + 1));
        const after = withSettledIds(filtersOf(item), settle.get(shard) ?? []);
        return { hash: contentHash(JSON.stringify(after)), attributes: shardItem(after) };
      },
    );
  }

  async getColdContacts(userId: string, addresses: string[] | 'everyone'): Promise<ColdContact[]> {
    const items =
      addresses === 'everyone'
        ? await this.#t.queryAll({
            KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
            ExpressionAttributeValues: {
              ':p': keys.checkpointHead(userId).PK,
              ':s': prefixes.coldContacts,
            },
          })
        : await this.#getAll(
            [...new Set(addresses.map(coldShardOf))].map((n) => keys.coldContacts(userId, n)),
          );
    const wanted = addresses === 'everyone' ? null : new Set(addresses);
    return items.flatMap(coldOf).filter((c) => wanted === null || wanted.has(c.contact.address));
  }

  /**
   * Writes the contacts a checkpoint paused cold into their shards: a shard only when its content
   * changes, and only if no one wrote it meanwhile (else read again).
   */
  async #putCold(userId: string, cold: readonly PausedContact[], since: string): Promise<void> {
    const byShard = new Map<number, PausedContact[]>();
    for (const c of cold) {
      const shard = coldShardOf(c.address);
      byShard.set(shard, [...(byShard.get(shard) ?? []), c]);
    }
    await this.#rewriteShards(
      [...byShard.keys()].map((n) => keys.coldContacts(userId, n)),
      (key, item) => {
        const shard = Number(key.SK.slice(key.SK.indexOf('#') + 1));
        const after = withColdPaused(coldOf(item), byShard.get(shard) ?? [], since);
        return after && coldItem(after);
      },
    );
  }

  async forgetColdContact(userId: string, address: string): Promise<void> {
    await this.#rewriteShards([keys.coldContacts(userId, coldShardOf(address))], (_key, item) => {
      const before = coldOf(item);
      const after = before.filter((c) => c.contact.address !== address);
      return after.length === before.length ? null : coldItem(after);
    });
  }

  /**
   * Shard items read, changed and put back, each only if its content hash moved, and only if no one
   * wrote it since it was read (else it is read again).
   */
  async #rewriteShards(
    keyList: { PK: string; SK: string }[],
    next: (
      key: { PK: string; SK: string },
      item: Item | undefined,
    ) => { hash: string; attributes: Item } | null,
  ): Promise<void> {
    let pending = keyList;
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries === shardTries)
        throw new Error(`checkpoint shards kept changing: ${pending.map((k) => k.SK)}`);
      const bySk = new Map((await this.#getAll(pending)).map((i) => [i.SK as string, i]));
      const lost: typeof pending = [];
      await this.#inFlight(pending, async (key) => {
        const item = bySk.get(key.SK);
        const after = next(key, item);
        if (!after || after.hash === item?.hash) return;
        const written = await conditional(
          this.#t.db.send(
            new PutCommand({
              TableName: this.#t.name,
              Item: { ...key, ...after.attributes, hash: after.hash },
              ...(item
                ? {
                    ConditionExpression: '#hash = :before',
                    ExpressionAttributeNames: { '#hash': 'hash' },
                    ExpressionAttributeValues: { ':before': item.hash },
                  }
                : { ConditionExpression: 'attribute_not_exists(PK)' }),
            }),
          ),
        );
        if (!written) lost.push(key);
      });
      pending = lost;
    }
  }

  async putCheckpoint(
    userId: string,
    checkpoint: HistoryCheckpoint,
    options: Parameters<HistoryStore['putCheckpoint']>[2] = {},
  ): Promise<boolean> {
    // A checkpoint of a later layout is newer code's (before a rollback, or during a deploy): none of
    // this is written beside it, and its head stays (the condition below, should one appear now).
    if (!options.replacing) {
      const head = await this.#head(userId, 'layout, builtAt');
      if (head && layoutOf(head) > checkpointLayout) return false;
    }
    // Ids first: a view of the head before this one that hits one it did not drop reads everything;
    // cold contacts too: one it reads that this checkpoint paused is later than its own, and it
    // reads everything.
    if (options.settle) await this.#settle(userId, options.settle);
    if (options.cold) await this.#putCold(userId, options.cold, checkpoint.ledger.at);
    const data = compressCheckpoint(checkpoint);
    const generation = `${checkpoint.builtAt}-${randomUUID().slice(0, 8)}`;
    const chunks: Item[] = [];
    for (let n = 0; n * checkpointChunkBytes < Math.max(1, data.length); n++) {
      chunks.push({
        ...keys.checkpointChunk(userId, generation, n),
        data: data.subarray(n * checkpointChunkBytes, (n + 1) * checkpointChunkBytes),
      });
    }
    await this.#write(chunks.map((Item) => ({ PutRequest: { Item } })));
    let replaced: string | null = null;
    const moved = await conditional(
      this.#t.db
        .send(
          new PutCommand({
            TableName: this.#t.name,
            Item: {
              ...keys.checkpointHead(userId),
              builtAt: checkpoint.builtAt,
              generation,
              chunks: chunks.length,
              bytes: data.length,
              compression: checkpointCompression,
              layout: checkpointLayout,
            },
            // Never over a checkpoint of a later layout: newer code folded into it mail that may
            // have expired since, which a checkpoint built from what is stored would lose.
            ConditionExpression: options.replacing
              ? 'builtAt = :b'
              : '(attribute_not_exists(PK) OR builtAt < :b) AND (attribute_not_exists(layout) OR layout <= :l)',
            ExpressionAttributeValues: options.replacing
              ? { ':b': checkpoint.builtAt }
              : { ':b': checkpoint.builtAt, ':l': checkpointLayout },
            ReturnValues: 'ALL_OLD',
          }),
        )
        .then((put) => {
          replaced = (put.Attributes?.generation as string | undefined) ?? null;
        }),
    );
    if (!moved) {
      // A later checkpoint won: ours is no one's.
      await this.#write(chunks.map((c) => ({ DeleteRequest: { Key: { PK: c.PK, SK: c.SK } } })));
      return false;
    }
    // Chunks no head names (a crash's, those replaced before), but the ones just replaced: a view
    // that read the head before this one may be reading them now. The next refresh deletes them.
    const stale = await this.#t.queryAll({
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
      ExpressionAttributeValues: {
        ':p': keys.checkpointHead(userId).PK,
        ':s': prefixes.checkpointChunks,
      },
      ProjectionExpression: 'PK, SK',
    });
    const generationOf = (sk: string) =>
      sk.slice(prefixes.checkpointChunks.length, sk.lastIndexOf('#'));
    // Only older generations: a later one may be written right now, its head not yet put.
    await this.#write(
      stale
        .filter((i) => {
          const of = generationOf(i.SK as string);
          return of < generation && of !== replaced;
        })
        .map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })),
    );
    return true;
  }

  async checkpointBuiltAt(userId: string): Promise<string | null> {
    return ((await this.#head(userId, 'builtAt'))?.builtAt as string | undefined) ?? null;
  }

  async listThreadMessagesLoggedSince(userId: string, since: string): Promise<ThreadMessage[]> {
    const items = await this.#t.queryAll({
      IndexName: indexNames.byGsi1,
      KeyConditionExpression: 'GSI1PK = :p AND GSI1SK >= :s',
      ExpressionAttributeValues: { ':p': gsi1.recent(userId), ':s': since },
      ...threadProjection,
    });
    return items.filter((item) => !this.#t.expired(item)).map(toThreadMessage);
  }

  async settleMessages(
    userId: string,
    messages: { messageKey: string; expiresAt: Date }[],
  ): Promise<void> {
    await this.#inFlight(messages, async (m) => {
      // Only an item still there: a message deleted meanwhile is not written back as a stub.
      await conditional(
        this.#t.update({
          Key: keys.message(userId, m.messageKey),
          UpdateExpression: 'REMOVE GSI1PK, GSI1SK SET expiresAt = :e',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':e': epochSeconds(m.expiresAt) },
        }),
      );
    });
  }

  /** Items by key, strongly consistent, in batches of 100 read at once (none for a key absent). */
  async #getAll(keyList: { PK: string; SK: string }[]): Promise<Item[]> {
    const batches: (typeof keyList)[] = [];
    for (let i = 0; i < keyList.length; i += 100) batches.push(keyList.slice(i, i + 100));
    const items: Item[] = [];
    await Promise.all(
      batches.map(async (batch) => {
        let wanted = batch;
        while (wanted.length > 0) {
          const got = await this.#t.db.send(
            new BatchGetCommand({
              RequestItems: { [this.#t.name]: { Keys: wanted, ConsistentRead: true } },
            }),
          );
          items.push(...(got.Responses?.[this.#t.name] ?? []));
          wanted = (got.UnprocessedKeys?.[this.#t.name]?.Keys ?? []) as typeof batch;
        }
      }),
    );
    return items;
  }

  /** `each` over `xs`, a few at a time. */
  async #inFlight<T>(xs: readonly T[], each: (x: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < xs.length) await each(xs[next++] as T);
    };
    await Promise.all(Array.from({ length: writesInFlight }, worker));
  }

  /**
   * Puts and deletes, each its own request, a few at a time: no function is granted BatchWriteItem
   * (a grant this store would need for nothing else).
   */
  async #write(
    requests: (
      | { PutRequest: { Item: Item } }
      | { DeleteRequest: { Key: { PK: unknown; SK: unknown } } }
    )[],
  ): Promise<void> {
    await this.#inFlight(requests, async (r) => {
      await ('PutRequest' in r
        ? this.#t.db.send(new PutCommand({ TableName: this.#t.name, Item: r.PutRequest.Item }))
        : this.#t.db.send(
            new DeleteCommand({ TableName: this.#t.name, Key: r.DeleteRequest.Key }),
          ));
    });
  }
}
