import { replyAddressDays } from '#domain/reply-token.ts';
import { rawMailRetentionDays } from '#domain/retention.ts';
import { digestHistoryDays } from '#domain/steering.ts';

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
  message: (userId: string, messageKey: string) => ({
    PK: `USER#${userId}`,
    SK: `MSG#${messageKey}`,
  }),
  /**
   * One item per logged Message-ID: the users who logged it, and whether replies to it are parked.
   * One item, so that writing an owner and learning of parked replies is one request.
   */
  messageOwners: (messageKey: string) => ({ PK: `MID#${messageKey}`, SK: 'OWNERS' }),
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
  /** The head of a user's history checkpoint: which generation of chunks is current. */
  checkpointHead: (userId: string) => ({ PK: `USER#${userId}`, SK: 'CHECKPOINT' }),
  checkpointChunk: (userId: string, generation: string, n: number) => ({
    PK: `USER#${userId}`,
    SK: `CHECKPOINT#${generation}#${n}`,
  }),
  /** One shard of a user's settled-id filters: shared by every generation, it only grows. */
  settledIds: (userId: string, shard: number) => ({
    PK: `USER#${userId}`,
    SK: `CHECKPOINT-IDS#${String(shard).padStart(4, '0')}`,
  }),
  /** One shard of a user's cold contacts: shared by every generation. */
  coldContacts: (userId: string, shard: number) => ({
    PK: `USER#${userId}`,
    SK: `${prefixes.coldContacts}${String(shard).padStart(3, '0')}`,
  }),
  parkedReply: (messageKey: string, receiptId: string) => ({
    PK: `PARKED#${messageKey}`,
    SK: `RECEIPT#${receiptId}`,
  }),
  /** A domain whose people may join by writing to `start@D`; all of them in one small partition. */
  allowedDomain: (domain: string) => ({ PK: 'ALLOWED', SK: `DOMAIN#${domain}` }),
  /** One mail about joining (a welcome, a note) to an address, for a day: put only if absent. */
  joinMail: (address: string, kind: string, day: string) => ({
    PK: prefixes.joinMails(address),
    SK: `${kind.toUpperCase()}#${day}`,
  }),
};

export const prefixes = {
  /** The mails about joining sent to one address (welcome, how to join, …). */
  joinMails: (address: string) => `JOIN#${address}`,
  user: (userId: string) => `USER#${userId}`,
  messages: 'MSG#',
  steers: 'STEER#',
  digests: 'DIGEST#',
  allowedDomains: { PK: 'ALLOWED', SK: 'DOMAIN#' },
  checkpointChunks: 'CHECKPOINT#',
  coldContacts: 'CHECKPOINT-COLD#',
};

/**
 * How long a command mail's record is kept: past the life of any reply address, so a copy delivered
 * late is still known (and one later than that finds its token expired: "too old", nothing applied).
 */
export const commandMailRetentionDays = replyAddressDays + 1;

/**
 * How long a digest record is kept after it began: past every read of it. The steered views read
 * the records of the last `digestHistoryDays` local days (the three-digest let-go); a reply to a
 * digest reads its record while the reply address lives (`replyAddressDays`, shorter); the
 * once-a-day put reads it that day. Two days more than the 60: a local day begins up to a day
 * before the moment its digest began, and a day across a clock change is 25 hours.
 */
export const digestRetentionDays = digestHistoryDays + 2;

/** The slot index spreads each day's users over this many partitions, so no day is one hot key. */
export const slotShards = 4;

/**
 * GSI2: a user's next digest slot. The partition is the slot's UTC day and a shard (their id picks
 * the shard, so it never moves); the sort key starts with the slot. One slot is a `begins_with`,
 * and any run of missed slots is one range Query per day and shard, however long the outage.
 */
export const gsi2 = {
  day: (day: string, shard: number) => `SLOTDAY#${day}#${shard}`,
  dayOf: (slot: string) => slot.slice(0, 10),
  entry: (slot: string, userId: string) => `${slot}#${userId}`,
  /** Sorts after every entry of `slot` and before every entry of a later slot ('$' follows '#'). */
  afterSlot: (slot: string) => `${slot}$`,
  /** The per-slot key profiles carried before; read (never written) until none is left. */
  legacySlot: (slot: string, shard: number) => `SLOT#${slot}#${shard}`,
  shardOf: (userId: string) =>
    (userId.charCodeAt(0) + userId.charCodeAt(userId.length - 1)) % slotShards,
};

/** GSI1 partitions. */
export const gsi1 = {
  allUsers: 'USERS',
  rejectedOn: (day: string) => `REJECTED#${day}`,
  failed: 'FAILED',
  /** Receipts begun and not finished yet, by the day they arrived (removed by their outcome). */
  inProgressOn: (day: string) => `INPROGRESS#${day}`,
  /** A user's messages not yet held by their history checkpoint, by when they were logged. */
  recent: (userId: string) => `RECENT#${userId}`,
  recentEntry: (loggedAt: string, messageKey: string) => `${loggedAt}#${messageKey}`,
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
