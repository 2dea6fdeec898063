// A digest's cost does not grow with years of history: the digest of a user with 200,000 messages
// logged over 10 years against the same user with only their last 90 days, each read from a
// checkpoint refreshed a day before (as after yesterday's digest) and the mail logged since. Items
// read are what each response reports: Query ScannedCount, GetItem and BatchGetItem items.
import { gzipSync } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { compressCheckpoint, encodeCold } from '#adapters/dynamodb/checkpoint-codec.ts';
import { DynamoStore, messageItem } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { toThreadMessage } from '#adapters/dynamodb/ledger-store.ts';
import { silentLogger } from '#adapters/logger.ts';
import { composeDigest } from '#domain/digest.ts';
import { buildCheckpoint, settledIdsByShard, withSettledIds } from '#domain/history-checkpoint.ts';
import { shortKey } from '#domain/ids.ts';
import type { LoggedMessage, User } from '#domain/model.ts';
import { checkpointRefreshDays } from '#domain/retention.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRefreshHistory, readHistory } from '#use-cases/read-history.ts';
import { compare, report } from './measure.ts';
import { benchClients, startDynaliteProcess, writeAll } from './support.ts';

const table = 'bench';
const years = 10;
const total = Number(process.env.HISTORY_MESSAGES ?? 200_000);
const contacts = 2_000;
const now = new Date('2026-06-03T06:02:00.000Z');
const builtAt = new Date(now.getTime() - 86_400_000);
const tag = { by: 'tag' as const };

const nameOf = (n: number) => (n % 50 === 0 ? `Zoë Müller ${n}` : `Person ${n}`);

/**
 * Ten years of mail ending now: a thread every so often with one of `contacts` people in turn (the
 * user asks, they answer, three more messages), one in a hundred never answered; some of the
 * user's messages promise, thank, ask or give. One person in fifty has a name beyond ASCII, as
 * real names are: the checkpoint is read as real ones are.
 */
function tenYears(userId: string): LoggedMessage[] {
  const perThread = 5;
  const threads = Math.ceil(total / perThread);
  const span = years * 365 * 86_400_000;
  const start = now.getTime() - span;
  const every = span / threads;
  const out: LoggedMessage[] = [];
  for (let t = 0; t < threads; t++) {
    const who = `p${t % contacts}@people${(t % contacts) % 97}.example`;
    const root = `t${t}-0@mail.example.com`;
    const at = (k: number) => new Date(start + t * every + k * 3_600_000 * 5).toISOString();
    const base = { userId, subject: `Topic ${t}` };
    const signals =
      [{ promise: tag }, { thanks: tag }, { ask: tag }, { gave: tag }, {}, {}][t % 6] ?? {};
    out.push(
      sent(at(0), [asked(who, nameOf(t % contacts))], { ...base, messageId: root, signals }),
    );
    if (t % 100 === 7) continue;
    for (let k = 1; k < perThread; k++) {
      const id = `t${t}-${k}@mail.example.com`;
      const links = { messageId: id, inReplyTo: [root], references: [root] };
      const re = { ...base, ...links, subject: `Re: Topic ${t}` };
      out.push(k % 2 === 1 ? received(at(k), who, re) : sent(at(k), [told(who)], re));
    }
  }
  return out.filter((m) => m.sentAt <= now.toISOString()).slice(-total);
}

interface Counted {
  store: DynamoStore;
  itemsRead: () => number;
  reset: () => void;
  /** Write units of the checkpoint's items put since the last reset (1 per KB, rounded up each). */
  checkpointWriteUnits: () => number;
  close: () => Promise<void>;
}

/** An item's size as DynamoDB counts it, near enough: names and values, binary as its bytes. */
function itemBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return 8;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + itemBytes(v), 3);
  if (typeof value === 'object')
    return Object.entries(value as object).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + itemBytes(v),
      3,
    );
  return 0;
}

/** Write units of the puts of a user's checkpoint items (its head, chunks and shards). */
function countCheckpointWrites(client: DynamoDBDocumentClient) {
  let units = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Item?: { SK?: unknown } };
      const name = String(context.commandName);
      if ((name === 'PutCommand' || name === 'PutItemCommand') && input.Item) {
        if (String(input.Item.SK).startsWith('CHECKPOINT'))
          units += Math.ceil(itemBytes(input.Item) / 1024);
      }
      return next(args);
    },
    { step: 'initialize', name: 'countCheckpointWrites' },
  );
  return {
    checkpointWriteUnits: () => units,
    resetWrites: () => {
      units = 0;
    },
  };
}

/** Items read per request, as each response reports them. */
function countItemsRead(client: DynamoDBDocumentClient) {
  let items = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const out = result.output as {
        ScannedCount?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      // The document client's commands run as the base client's (GetItem, BatchGetItem, Query).
      const name = String(context.commandName);
      if (name === 'QueryCommand') items += out.ScannedCount ?? 0;
      if ((name === 'GetCommand' || name === 'GetItemCommand') && out.Item) items += 1;
      if (name === 'BatchGetCommand' || name === 'BatchGetItemCommand')
        for (const rows of Object.values(out.Responses ?? {})) items += rows.length;
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return {
    itemsRead: () => items,
    reset: () => {
      items = 0;
    },
  };
}

/**
 * A user's messages in a dynalite of its own, as after yesterday's refresh: a checkpoint built a
 * day ago; messages logged before it out of the recent listing (settled), those since still in it.
 */
async function seeded(
  user: User,
  messages: LoggedMessage[],
): Promise<Counted & { bytes: number; coldBytes: number; settledBytes: number }> {
  const dynamo = await startDynaliteProcess();
  const { client, destroy } = benchClients(dynamo.endpoint);
  await ensureTable(client, table);
  const cut = builtAt.toISOString();
  const items = messages.map((m) => {
    const item = messageItem(m);
    if ((item.loggedAt as string) >= cut) return item;
    const { GSI1PK: _p, GSI1SK: _s, ...settled } = item;
    return settled;
  });
  await writeAll(client, table, items, 16);
  const store = new DynamoStore({ client, tableName: table, clock: () => now });
  const before = messages
    .filter((m) => (m.receivedAt ?? m.sentAt) < cut)
    .map((m) => messageItem(m));
  const { checkpoint, dropped, cold } = buildCheckpoint({
    messages: before.map(toThreadMessage),
    previous: null,
    timeZone: user.timeZone,
    builtAt,
  });
  const settle = settledIdsByShard(dropped);
  await store.putCheckpoint(user.userId, checkpoint, { settle, cold });
  const bytes = compressCheckpoint(checkpoint).length;
  const coldBytes = gzipSync(
    encodeCold(cold.map((contact) => ({ contact, since: checkpoint.ledger.at }))),
  ).length;
  let settledBytes = 0;
  for (const ids of settle.values())
    for (const f of withSettledIds([], ids)) settledBytes += Buffer.from(f.bits, 'base64').length;
  const counted = countItemsRead(client);
  const writes = countCheckpointWrites(client);
  return {
    store,
    bytes,
    coldBytes,
    settledBytes,
    ...counted,
    checkpointWriteUnits: writes.checkpointWriteUnits,
    reset: () => {
      counted.reset();
      writes.resetWrites();
    },
    close: async () => {
      destroy();
      await dynamo.close();
    },
  };
}

export async function run(): Promise<void> {
  const email = 'me@example.com';
  const user: User = {
    userId: shortKey('user', email),
    email,
    aliases: [],
    timeZone: 'Europe/Berlin',
    digestAt: '08:00',
    neverLog: [],
    createdAt: '2016-06-01T09:00:00.000Z',
  };
  // The generated mail is let go once written: the digests are timed in a process holding only
  // their own work, as a function's is, not 200,000 messages it made to seed the tables.
  const seed = async () => {
    const all = tenYears(user.userId);
    const since90 = new Date(now.getTime() - 90 * 86_400_000).toISOString();
    const recent = all.filter((m) => m.sentAt >= since90);
    return {
      long: await seeded(user, all),
      short: await seeded(user, recent),
      messages: all.length,
      recent: recent.length,
    };
  };
  const seedStarted = performance.now();
  const { long, short, messages, recent } = await seed();
  const label = `${messages} messages over ${years} years`;
  report(`seeded ${label}, and their last 90 days`, {
    messages,
    last_90_days: recent,
    seed_s: (performance.now() - seedStarted) / 1000,
    checkpoint_kb: long.bytes / 1024,
    checkpoint_90d_kb: short.bytes / 1024,
    cold_gzip_kb: long.coldBytes / 1024,
    cold_90d_gzip_kb: short.coldBytes / 1024,
    settled_ids_kb: long.settledBytes / 1024,
    settled_ids_90d_kb: short.settledBytes / 1024,
  });
  try {
    const digestOf = (s: Counted) => async () => {
      const relationships = makeRelationships({ store: s.store, clock: () => now });
      const forDigest = { forDigest: true };
      return composeDigest({ user, relationships: await relationships(user, now, forDigest), now });
    };
    // Older mail can still decide items (an old unanswered ask, a quiet friend): both are built.
    const [a, b] = [await digestOf(long)(), await digestOf(short)()];
    const readFrom = async (s: Counted) => (await readHistory(s.store, user.userId, now)).read;
    report('digest items, years and last 90 days', {
      years: a?.items.length ?? 0,
      days: b?.items.length ?? 0,
      years_read: await readFrom(long),
      days_read: await readFrom(short),
    });
    long.reset();
    short.reset();
    await digestOf(long)();
    await digestOf(short)();
    const readLong = long.itemsRead();
    const readShort = short.itemsRead();
    const timed = await compare(45, 5, digestOf(long), digestOf(short));
    report(
      `digest, ${label} vs last 90 days: time`,
      { years_ms: timed.subject, days_ms: timed.baseline, ratio: timed.ratio },
      '<= 1.2x',
    );
    report(
      `digest, ${label} vs last 90 days: items read`,
      { years: readLong, days: readShort, ratio: readLong / readShort },
      '<= 1.2x',
    );
    // The refresh after a digest, once it is due (the checkpoint a week old; a day old, as here, it
    // is not): what it writes of the checkpoint (the messages' settle aside).
    const dueAt = new Date(builtAt.getTime() + checkpointRefreshDays * 86_400_000 + 60_000);
    const refreshOf = async (s: Counted) => {
      s.reset();
      const refresh = makeRefreshHistory({
        store: s.store,
        clock: () => dueAt,
        logger: silentLogger,
      });
      await refresh(user);
      return s.checkpointWriteUnits();
    };
    const [wroteLong, wroteShort] = [await refreshOf(long), await refreshOf(short)];
    report(`refresh once due (a week on), ${label} vs last 90 days: checkpoint write units`, {
      years: wroteLong,
      days: wroteShort,
      ratio: wroteLong / wroteShort,
    });
  } finally {
    await long.close();
    await short.close();
  }
}
