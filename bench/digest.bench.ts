// The digest at scale: the scheduler over 100,000 users of whom 1,000 are due reads only those
// (never a Scan); building one user's digest (20,000 messages, 2,000 contacts) against the bare
// Query of the same items; and rendering it, as a share of building it. Items read are what each
// Query response reports (Count, ScannedCount), summed by a middleware on the client.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { gsi1, gsi2, keys } from '#adapters/dynamodb/table-design.ts';
import { silentLogger } from '#adapters/logger.ts';
import { composeDigest } from '#domain/digest.ts';
import { nextDigest, scheduleOf, slotMinutes, slotOf } from '#domain/digest-schedule.ts';
import { shortKey } from '#domain/ids.ts';
import type { User } from '#domain/model.ts';
import { renderDigest } from '#domain/render-digest.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { compare, median, report } from './measure.ts';
import {
  bareMessagesQuery,
  benchClients,
  countQueryItems,
  countRequests,
  seedHistory,
  startDynaliteProcess,
  writeAll,
} from './support.ts';

const table = 'bench';
const registered = 100_000;
const due = 1_000;
/** A Wednesday: every zone below is on a weekday for each of the day's UTC slots. */
const day = Date.parse('2026-06-03T00:00:00Z');
const dueSlotIndex = 24; // 06:00Z, 08:00 in Berlin
const zones = ['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata', 'America/Los_Angeles'];
const slotsPerDay = (24 * 60) / slotMinutes;

/**
 * User i, registered with the hour in their zone that falls in their slot (the first `due` users
 * in the slot being run, the rest spread over the day's other slots), as `addUser` writes the
 * profile and `scheduleDigest` then adds the slot index attributes.
 */
function aScheduledUser(i: number): { user: User; item: Record<string, unknown> } {
  const others = i - due;
  const slotIndex =
    others < 0 ? dueSlotIndex : (dueSlotIndex + 1 + (others % (slotsPerDay - 1))) % slotsPerDay;
  const slotAt = new Date(day + slotIndex * slotMinutes * 60_000);
  const timeZone = zones[i % zones.length] ?? 'UTC';
  const email = `u${i}@people${i % 97}.example`;
  const user: User = {
    userId: shortKey('user', email),
    email,
    aliases: [],
    timeZone,
    digestAt: DateTime.fromJSDate(slotAt, { zone: timeZone }).toFormat('HH:mm'),
    neverLog: [],
    createdAt: '2026-05-01T09:00:00.000Z',
  };
  // As the run before this slot scheduled it.
  const next = nextDigest(scheduleOf(user), new Date(slotAt.getTime() - 60_000));
  if (next.slot !== slotOf(slotAt)) throw new Error(`user ${i} lands in ${next.slot}`);
  const item = {
    ...keys.user(user.userId),
    ...user,
    GSI1PK: gsi1.allUsers,
    GSI1SK: user.email,
    GSI2PK: gsi2.day(gsi2.dayOf(next.slot), gsi2.shardOf(user.userId)),
    GSI2SK: gsi2.entry(next.slot, user.userId),
    nextDigestAt: next.at.toISOString(),
    nextDigestDate: next.localDate,
  };
  return { user, item };
}

/** The run: two minutes into the due slot. */
const now = new Date(day + dueSlotIndex * slotMinutes * 60_000 + 2 * 60_000);
const clock = () => now;

interface Db {
  client: DynamoDBDocumentClient;
  /** A plain client, for the baseline: no document marshalling. */
  bare: DynamoDBClient;
  store: DynamoStore;
}

/**
 * A fresh table in a dynalite of its own: each part gets its own, as dynalite (unlike DynamoDB)
 * reads a partition more slowly the more items the whole table holds.
 */
async function withTable(fn: (db: Db) => Promise<void>): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const { client, bare, destroy } = benchClients(dynamo.endpoint);
  try {
    await ensureTable(client, table);
    await fn({ client, bare, store: new DynamoStore({ client, tableName: table, clock }) });
  } finally {
    destroy();
    await dynamo.close();
  }
}

export async function run(): Promise<void> {
  await withTable(schedulerReadsOnlyTheDue);
  await withTable(buildAndRenderOneDigest);
}

/** 1. The scheduler over 100,000 users reads only the 1,000 due in the slot it runs. */
async function schedulerReadsOnlyTheDue({ client, store }: Db): Promise<void> {
  const users = Array.from({ length: registered }, (_, i) => aScheduledUser(i));
  await writeAll(
    client,
    table,
    users.map((u) => u.item),
  );
  const expected = new Set(users.slice(0, due).map((u) => u.user.userId));
  const sentTo: string[] = [];
  const runScheduler = makeRunScheduler({
    store,
    sendDigest: async (user) => {
      sentTo.push(user.userId);
      return { status: 'nothing-to-show', localDate: '' };
    },
    clock,
    logger: silentLogger,
  });
  // The run before finished the previous slot, as on a scheduler that runs every 15 minutes.
  await store.setSchedulerCursor(slotOf(new Date(now.getTime() - slotMinutes * 60_000)));
  const requests = countRequests(client);
  const items = countQueryItems(client);
  const started = performance.now();
  const { slots } = await runScheduler();
  const schedulerMs = performance.now() - started;
  if (sentTo.length !== due || !sentTo.every((id) => expected.has(id)))
    throw new Error(`the scheduler sent to ${sentTo.length} users, not the ${due} due`);
  const byOperation = requests.byOperation();
  if ('ScanCommand' in byOperation) throw new Error('the scheduler scanned the table');
  report(`scheduler, ${registered} users, ${due} due in ${slots.join(' ')}`, {
    due: sentTo.length,
    requests: requests.total(),
    ...byOperation,
    scans: 0,
    ms: schedulerMs,
  });
  report('of which read by the slot index, per due user', {
    queried: items.returned() / sentTo.length,
    scanned: items.scanned() / sentTo.length,
  });
}

/** 2 and 3. One user's digest built, against the bare Query of the same items; then rendered. */
async function buildAndRenderOneDigest({ client, bare, store }: Db): Promise<void> {
  const email = 'me@example.com';
  const user: User = {
    userId: shortKey('user', email),
    email,
    aliases: [],
    timeZone: 'Europe/Berlin',
    digestAt: '08:00',
    neverLog: [],
    createdAt: '2024-05-01T09:00:00.000Z',
  };
  const seeded = await seedHistory(client, table, user.userId, {
    messages: 20_000,
    contacts: 2_000,
  });
  const relationships = makeRelationships({ store, clock });
  const build = async () =>
    composeDigest({ user, relationships: await relationships(user, now), now });
  const bareQuery = () => bareMessagesQuery(bare, table, user.userId);
  const digest = await build();
  if (!digest) throw new Error('the digest has nothing to show');
  report(`digest, ${seeded} messages, 2000 contacts`, {
    items: digest.items.length,
    more_help: digest.more['help-first'],
    more_waiting: digest.more.waiting,
    let_go: digest.letGo.people.length,
  });
  const built = await compare(7, 1, build, bareQuery);
  report(
    'digest build vs bare Query (same items and attributes)',
    { build_ms: built.subject, query_ms: built.baseline, ratio: built.ratio },
    '<= 1.5x',
  );

  // Rendering: the median of rounds of 100 renders, per render.
  const options = {
    replyAddress: 'reply+token@in.givefirst.test',
    unsubscribeUrl: 'https://givefirst.test/unsubscribe?t=token',
  };
  const perRender: number[] = [];
  for (let round = 0; round < 55; round++) {
    const start = performance.now();
    for (let k = 0; k < 100; k++) renderDigest(digest, options);
    if (round >= 5) perRender.push((performance.now() - start) / 100);
  }
  const renderMs = median(perRender);
  report('render one digest, share of building it', {
    render_us: renderMs * 1000,
    build_ms: built.subject,
    share: `${((renderMs / built.subject) * 100).toFixed(3)}%`,
  });
}
