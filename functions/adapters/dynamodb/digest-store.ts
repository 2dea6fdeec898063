import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { slotMinutes, slotOf } from '#domain/digest-schedule.ts';
import type { DigestRecord, DigestStore, DueUser } from '#domain/ports.ts';
import type { StopReason } from '#domain/sending-state.ts';
import { conditional, type DynamoTable, epochSeconds } from './dynamodb-table.ts';
import { digestRetentionDays, gsi2, indexNames, keys, slotShards } from './table-design.ts';

/** The UTC day after a yyyy-mm-dd day. */
const nextUtcDay = (day: string) =>
  DateTime.fromISO(day, { zone: 'utc' }).plus({ days: 1 }).toISODate() ?? '9999-12-31';

/**
 * The slots of a run whose profiles may still carry the per-slot key the index had before it was
 * partitioned by day: a run reads those too, so such a user is found at their slot and scheduled
 * again under the new key. At most the last day of a range, as the scheduler read before; once
 * every profile has been scheduled again (a few days), none is left and this can go.
 */
function legacySlots(after: string | null, upTo: string): string[] {
  const slots: string[] = [];
  for (let at = Date.parse(upTo); slots.length < 96; at -= slotMinutes * 60_000) {
    const slot = slotOf(new Date(at));
    if (after ? slot <= after : slot < upTo) break;
    slots.push(slot);
  }
  return slots;
}

/** Digests: the once-a-day record, the slot index of users due, the scheduler's cursor, let-go names shown. */
export class DynamoDigestStore implements DigestStore {
  readonly #t: DynamoTable;

  constructor(table: DynamoTable) {
    this.#t = table;
  }

  async beginDigest(
    userId: string,
    record: Omit<DigestRecord, 'state' | 'finishedAt' | 'messageId' | 'failure'>,
  ): Promise<boolean> {
    return conditional(
      this.#t.db.send(
        new PutCommand({
          TableName: this.#t.name,
          Item: {
            ...keys.digest(userId, record.localDate),
            ...record,
            state: 'sending',
            expiresAt: epochSeconds(
              new Date(Date.parse(record.startedAt) + digestRetentionDays * 86_400_000),
            ),
          },
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
    await this.#t.update({
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
    const got = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.digest(userId, localDate),
        ConsistentRead: true,
      }),
    );
    if (!got.Item || this.#t.expired(got.Item)) return null;
    const { PK: _pk, SK: _sk, expiresAt: _expiresAt, ...record } = got.Item;
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
    await this.#t.update({
      Key: keys.user(userId),
      UpdateExpression: 'SET GSI2PK = :p, GSI2SK = :u, nextDigestAt = :at, nextDigestDate = :d',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: {
        ':p': gsi2.day(gsi2.dayOf(next.slot), gsi2.shardOf(userId)),
        ':u': gsi2.entry(next.slot, userId),
        ':at': next.at.toISOString(),
        ':d': next.localDate,
      },
    });
  }

  async pauseDigests(userId: string, at: Date, reason: StopReason): Promise<void> {
    await this.#t.update({
      Key: keys.user(userId),
      UpdateExpression:
        'SET pausedAt = :at, stoppedBecause = :why REMOVE GSI2PK, GSI2SK, nextDigestAt, nextDigestDate',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': at.toISOString(), ':why': reason },
    });
  }

  async resumeDigests(
    userId: string,
    next: { slot: string; at: Date; localDate: string },
  ): Promise<void> {
    await this.#t.update({
      Key: keys.user(userId),
      UpdateExpression:
        'SET GSI2PK = :p, GSI2SK = :u, nextDigestAt = :at, nextDigestDate = :d REMOVE pausedAt, pausedUntil, stoppedBecause, softBounces',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: {
        ':p': gsi2.day(gsi2.dayOf(next.slot), gsi2.shardOf(userId)),
        ':u': gsi2.entry(next.slot, userId),
        ':at': next.at.toISOString(),
        ':d': next.localDate,
      },
    });
  }

  async countSoftBounce(userId: string, notificationId: string): Promise<number> {
    const out = await this.#t.update({
      Key: keys.user(userId),
      UpdateExpression: 'ADD softBounces :id',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':id': new Set([notificationId]) },
      ReturnValues: 'UPDATED_NEW',
    });
    return ((out.Attributes?.softBounces as Set<string> | undefined) ?? new Set()).size;
  }

  async clearSoftBounces(userId: string): Promise<void> {
    await conditional(
      this.#t.update({
        Key: keys.user(userId),
        UpdateExpression: 'REMOVE softBounces',
        ConditionExpression: 'attribute_exists(softBounces)',
      }),
    );
  }

  async usersDueInSlot(slot: string): Promise<string[]> {
    return (await this.usersDueBetween(null, slot))
      .filter((due) => due.slot === slot)
      .map((due) => due.userId);
  }

  async usersDueBetween(after: string | null, upTo: string): Promise<DueUser[]> {
    const days: string[] = [];
    const last = gsi2.dayOf(upTo);
    for (let day = gsi2.dayOf(after ?? upTo); day <= last; day = nextUtcDay(day)) days.push(day);
    const queries = days.flatMap((day) =>
      Array.from({ length: slotShards }, (_, shard) =>
        this.#t.queryAll({
          IndexName: indexNames.bySlot,
          KeyConditionExpression: 'GSI2PK = :p AND GSI2SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':p': gsi2.day(day, shard),
            ':from': after ? gsi2.afterSlot(after) : upTo,
            ':to': gsi2.afterSlot(upTo),
          },
          ProjectionExpression: 'userId, GSI2SK',
        }),
      ),
    );
    const legacy = legacySlots(after, upTo).flatMap((slot) =>
      Array.from({ length: slotShards }, async (_, shard) =>
        (
          await this.#t.queryAll({
            IndexName: indexNames.bySlot,
            KeyConditionExpression: 'GSI2PK = :p',
            ExpressionAttributeValues: { ':p': gsi2.legacySlot(slot, shard) },
            ProjectionExpression: 'userId',
          })
        ).map((i) => ({ userId: i.userId as string, slot })),
      ),
    );
    const current = (await Promise.all(queries))
      .flat()
      .map((i) => ({ userId: i.userId as string, slot: (i.GSI2SK as string).split('#')[0] ?? '' }));
    return [...current, ...(await Promise.all(legacy)).flat()].sort((a, b) =>
      a.slot.localeCompare(b.slot),
    );
  }

  async schedulerCursor(): Promise<string | null> {
    const got = await this.#t.db.send(
      new GetCommand({
        TableName: this.#t.name,
        Key: keys.schedulerCursor(),
        ConsistentRead: true,
      }),
    );
    return (got.Item?.slot as string | undefined) ?? null;
  }

  /** Moves forward only: two schedulers finishing out of order never move it back. */
  async setSchedulerCursor(slot: string): Promise<void> {
    await conditional(
      this.#t.update({
        Key: keys.schedulerCursor(),
        UpdateExpression: 'SET slot = :s',
        ConditionExpression: 'attribute_not_exists(slot) OR slot < :s',
        ExpressionAttributeValues: { ':s': slot },
      }),
    );
  }

  async letGoShown(userId: string): Promise<string[]> {
    const got = await this.#t.db.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.letGoShown(userId) }),
    );
    return [...((got.Item?.keys as Set<string> | undefined) ?? [])];
  }

  async addLetGoShown(userId: string, shown: string[]): Promise<void> {
    if (shown.length === 0) return;
    await this.#t.update({
      Key: keys.letGoShown(userId),
      UpdateExpression: 'ADD #k :k',
      ExpressionAttributeNames: { '#k': 'keys' },
      ExpressionAttributeValues: { ':k': new Set(shown) },
    });
  }
}
