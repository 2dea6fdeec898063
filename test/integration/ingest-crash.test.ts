/**
 * A process killed at any request of an ingest (kill -9: that request and every later one never
 * reach the table) leaves either no trace of the message, or one that the client's retry (a new
 * receipt id, as an SMTP client's retry is) or `redrive` makes whole. For every request of each
 * scenario, against dynalite, what the user sees afterwards (threads, contacts, rejections) must
 * equal a clean ingest of the same mail, and nothing may be left for redrive.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import type { User } from '#domain/model.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeListThreads } from '#use-cases/list-threads.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aLunchQuestionAndReply } from '../builders/raw-mail.ts';
import { MemoryRawMail } from '../support/memory-raw-mail.ts';
import { type CallSeen, crashingClient } from '../support/store-crashing-client.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;
const asOf = new Date('2026-03-20T09:00:00Z');
/** Each test runs the scenario once per request of the crashing ingest, each on a fresh table. */
const crashRunsTimeoutMs = 180_000;

const { question, ccdReply } = aLunchQuestionAndReply(log);

/** Each scenario: mail received before the one that crashes, the crashing one, and mail after. */
const scenarios = [
  {
    name: 'a question, then a reply Cc’d to the log',
    before: [],
    crashes: question,
    after: [ccdReply],
  },
  {
    name: 'a reply Cc’d to the log arriving before the question it answers',
    before: [ccdReply],
    crashes: question,
    after: [],
  },
];

type Scenario = (typeof scenarios)[number];

describe('a crash at any request of an ingest', () => {
  let table: TestTable;
  let tables = 0;

  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => {
    await table?.close();
  });

  /** A fresh table with one registered user, and a clock the test moves. */
  async function aWorld() {
    const tableName = `crash-${tables++}`;
    await ensureTable(table.client, tableName);
    let now = Date.parse('2026-03-04T12:00:00Z');
    const clock = () => new Date(now);
    const store = new DynamoStore({ client: table.client, tableName, clock });
    const rawMail = new MemoryRawMail();
    const ingestThrough = (through: DynamoStore) =>
      makeIngestEmail({
        store: through,
        rawMail,
        parseMail,
        mailDomain: domain,
        logger: silentLogger,
      });
    const added = await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    const user: User = added.user;
    let receipts = 0;
    /** Receives a message as a new receipt (a retry of the client is one too). */
    const receive = async (raw: string, through = store) => {
      const receiptId = `receipt-${receipts++}`;
      await rawMail.put(`raw/${receiptId}`, Buffer.from(raw));
      return ingestThrough(through)({
        receiptId,
        rawKey: `raw/${receiptId}`,
        recipients: [log],
        mailFrom: 'me@example.com',
        receivedAt: clock(),
        verdicts: { source: 'relaxed' },
      });
    };
    /** What `givefirst redrive` does: runs again every receipt it lists. */
    const redrive = async () => {
      for (const receipt of await store.listFailedReceipts(500)) {
        await ingestThrough(store)(receipt.envelope);
      }
    };
    /** What the user sees, and what is left for redrive once any ingest would have finished. */
    const seen = async () => {
      now += 10 * 60_000;
      return {
        threads: await makeListThreads({ store, clock })(user, asOf),
        contacts: (await makeRelationships({ store, clock })(user, asOf)).ledger,
        rejections: (await store.listRejections({ days: 30, limit: 100 })).map((r) => [
          r.subject,
          r.reason,
        ]),
        leftForRedrive: (await store.listFailedReceipts(500)).length,
      };
    };
    return {
      store,
      tableName,
      receive,
      redrive,
      seen,
      stalls: () => {
        now += 10 * 60_000;
      },
    };
  }

  /** What the user sees after the scenario's mail, received without a crash, with or without the crashing message. */
  async function cleanRun(scenario: Scenario, withIt = true) {
    const world = await aWorld();
    for (const raw of [
      ...scenario.before,
      ...(withIt ? [scenario.crashes] : []),
      ...scenario.after,
    ]) {
      await world.receive(raw);
    }
    return world.seen();
  }

  /**
   * Runs the scenario with the process killed at request `k` of the crashing message, then
   * `recover`s; null when the ingest made fewer than k + 1 requests (no crash left to try).
   */
  async function crashAt(
    scenario: Scenario,
    k: number,
    recover: (world: Awaited<ReturnType<typeof aWorld>>) => Promise<void>,
  ) {
    const world = await aWorld();
    for (const raw of scenario.before) await world.receive(raw);
    let killedOn: CallSeen | null = null;
    const crashing = crashingClient(table.client, (call) => {
      if (call.index === k) killedOn = call;
      return call.index >= k;
    });
    const dying = new DynamoStore({
      client: crashing.client,
      tableName: world.tableName,
      clock: () => new Date('2026-03-04T12:00:00Z'),
    });
    const died = await world.receive(scenario.crashes, dying).then(
      () => false,
      () => true,
    );
    await crashing.settled();
    if (!died) return null;
    await recover(world);
    for (const raw of scenario.after) await world.receive(raw);
    const on = killedOn as CallSeen | null;
    return {
      request: `${k} ${on?.command ?? ''} ${on?.sortKey ?? ''}`.trim(),
      seen: await world.seen(),
    };
  }

  /** Every crash point of a scenario, with what the recovery left where it differs from `expected`. */
  async function everyCrashPoint(
    scenario: Scenario,
    recover: (world: Awaited<ReturnType<typeof aWorld>>) => Promise<void>,
    expected: (k: number) => unknown,
  ) {
    const points: string[] = [];
    const wrong: { request: string; seen: unknown }[] = [];
    for (let k = 0; ; k++) {
      const run = await crashAt(scenario, k, recover);
      if (!run) break;
      points.push(run.request);
      const want = expected(k);
      if (JSON.stringify(run.seen) !== JSON.stringify(want)) wrong.push(run);
    }
    return { points, wrong };
  }

  test.each(scenarios)(
    '$name: the client’s retry with a new receipt id, then redrive, leave it as a clean ingest does',
    async (scenario) => {
      // Prepare
      const clean = await cleanRun(scenario);

      // Act
      const { points, wrong } = await everyCrashPoint(
        scenario,
        async (world) => {
          await world.receive(scenario.crashes);
          world.stalls();
          await world.redrive();
        },
        () => clean,
      );

      // Assess
      expect(points.length).toBeGreaterThanOrEqual(5);
      expect(wrong).toEqual([]);
    },
    crashRunsTimeoutMs,
  );

  test.each(scenarios)(
    '$name: redrive alone leaves no trace (killed before the receipt was written) or a clean ingest',
    async (scenario) => {
      // Prepare
      const clean = await cleanRun(scenario);
      const noTrace = await cleanRun(scenario, false);

      // Act
      const { points, wrong } = await everyCrashPoint(
        scenario,
        async (world) => {
          world.stalls();
          await world.redrive();
        },
        // Killed on its first request, the receipt was never written: nothing of the message is
        // there to redrive (the client, never answered, sends it again).
        (k) => (k === 0 ? noTrace : clean),
      );

      // Assess
      expect(points.length).toBeGreaterThanOrEqual(5);
      expect(wrong).toEqual([]);
    },
    crashRunsTimeoutMs,
  );
});
