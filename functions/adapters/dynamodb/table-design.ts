import { rawMailRetentionDays } from '#domain/retention.ts';

/**
 * The single table. Every access pattern and its key is listed in docs/storage.md;
 * this module is the only place that spells keys.
 *
 * Base table: PK, SK. GSI1 (GSI1PK, GSI1SK): overloaded, sparse. GSI2 (GSI2PK, GSI2SK): users
 * due in a digest slot, sparse and sharded. `expiresAt` (epoch seconds) is the TTL attribute,
 * also respected by every read.
 */
export const indexNames = { byGsi1: 'GSI1', bySlot: 'GSI2' } as const;

export const keys = {
  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'PROFILE' }),
  address: (address: string) => ({ PK: `ADDR#${address}`, SK: 'ADDR' }),
  contact: (userId: string, address: string) => ({
    PK: `USER#${userId}`,
    SK: `CONTACT#${address}`,
  }),
  message: (userId: string, messageKey: string) => ({
    PK: `USER#${userId}`,
    SK: `MSG#${messageKey}`,
  }),
  thread: (userId: string, threadKey: string) => ({
    PK: `USER#${userId}`,
    SK: `THREAD#${threadKey}`,
  }),
  awaited: (userId: string, threadKey: string, address: string) => ({
    PK: `USER#${userId}`,
    SK: `THREAD#${threadKey}#AWAIT#${address}`,
  }),
  messageOwner: (messageKey: string, userId: string) => ({
    PK: `MID#${messageKey}`,
    SK: `USER#${userId}`,
  }),
  receipt: (receiptId: string) => ({ PK: `RECEIPT#${receiptId}`, SK: 'RECEIPT' }),
  digest: (userId: string, localDate: string) => ({
    PK: `USER#${userId}`,
    SK: `DIGEST#${localDate}`,
  }),
  letGoShown: (userId: string) => ({ PK: `USER#${userId}`, SK: 'LETGO-SHOWN' }),
  steer: (userId: string, steerKey: string) => ({
    PK: `USER#${userId}`,
    SK: `STEER#${steerKey}`,
  }),
  commandMail: (userId: string, messageKey: string) => ({
    PK: `USER#${userId}`,
    SK: `COMMANDS#${messageKey}`,
  }),
  note: (userId: string, noteKey: string) => ({ PK: `USER#${userId}`, SK: `NOTE#${noteKey}` }),
  confirmationsInHour: (userId: string, hour: string) => ({
    PK: `USER#${userId}`,
    SK: `CONFIRMED#${hour}`,
  }),
  schedulerCursor: () => ({ PK: 'SCHEDULER', SK: 'CURSOR' }),
  parkedReply: (messageKey: string, receiptId: string) => ({
    PK: `PARKED#${messageKey}`,
    SK: `RECEIPT#${receiptId}`,
  }),
};

export const prefixes = {
  user: (userId: string) => `USER#${userId}`,
  contacts: 'CONTACT#',
  messages: 'MSG#',
  threads: 'THREAD#',
  awaitedMarker: '#AWAIT#',
  steers: 'STEER#',
  digests: 'DIGEST#',
};

/** How long a command mail's record is kept (a copy delivered later than this is answered again). */
export const commandMailRetentionDays = 30;

/** The slot index spreads each slot's users over this many partitions, so no slot is one hot key. */
export const slotShards = 4;

/** GSI2: a user's next digest slot and shard (their id picks the shard, so it never moves). */
export const gsi2 = {
  slot: (slot: string, shard: number) => `SLOT#${slot}#${shard}`,
  shardOf: (userId: string) =>
    (userId.charCodeAt(0) + userId.charCodeAt(userId.length - 1)) % slotShards,
};

/** GSI1 partitions. */
export const gsi1 = {
  allUsers: 'USERS',
  rejectedOn: (day: string) => `REJECTED#${day}`,
  failed: 'FAILED',
};

/** The table's definition, shared by the CDK stack and the local stack so they cannot drift. */
export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [
    { name: indexNames.byGsi1, partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: indexNames.bySlot, partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

/** How long a receipt record is kept: as long as the raw mail beside it. */
export const receiptRetentionDays = rawMailRetentionDays;
