/**
 * A user's views read from their history checkpoint give what reading every message gives, on the
 * real store (dynalite): refreshed after a digest, with a late reply logged after it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { LoggedMessage } from '#domain/model.ts';
import type { Logger } from '#domain/ports.ts';
import { type RunningBackend, storeBackends } from '#test/support/store-backends.ts';
import {
  aClock,
  aLoggedMessage,
  anIncomingMessage,
  aUser,
  awaiting,
} from '#test/support/store-builders.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeRefreshHistory, readHistory } from '#use-cases/read-history.ts';

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const dynalite = storeBackends.find((b) => b.name === 'dynalite');

describe('a history checkpoint on the store', () => {
  let running: RunningBackend;
  beforeAll(async () => {
    running = await (dynalite as NonNullable<typeof dynalite>).start();
  });
  afterAll(async () => {
    await running?.close();
  });

  test('the views read only what can still matter, and answer as from every message', async () => {
    // Prepare
    const tableName = await running.freshTable();
    const clock = aClock('2025-01-06T09:00:00.000Z');
    const store = new DynamoStore({ client: running.client, tableName, clock: clock.now });
    const user = aUser();
    const log = async (m: LoggedMessage, at: string) => {
      clock.set(at);
      await store.saveLoggedMessage({ ...m, receivedAt: at });
    };
    // A conversation long settled, one long unanswered, and a question a late reply answers.
    await log(
      aLoggedMessage({
        messageId: 'lunch@mail.example.com',
        sentAt: '2025-01-06T09:00:00.000Z',
        contacts: [awaiting('bob@example.com')],
      }),
      '2025-01-06T09:01:00.000Z',
    );
    await log(
      anIncomingMessage({
        messageId: 'bob-yes@mail.bob.example',
        sentAt: '2025-01-07T09:00:00.000Z',
        inReplyTo: ['lunch@mail.example.com'],
        references: ['lunch@mail.example.com'],
      }),
      '2025-01-07T09:01:00.000Z',
    );
    await log(
      aLoggedMessage({
        messageId: 'deck@mail.example.com',
        subject: 'The deck',
        sentAt: '2025-01-08T09:00:00.000Z',
        contacts: [awaiting('carol@example.com')],
      }),
      '2025-01-08T09:01:00.000Z',
    );
    await log(
      aLoggedMessage({
        messageId: 'intro@mail.example.com',
        subject: 'Intro to Acme',
        sentAt: '2025-02-24T09:00:00.000Z',
        contacts: [awaiting('dan@example.com')],
      }),
      '2025-02-24T09:01:00.000Z',
    );
    clock.set('2025-03-03T07:00:00.000Z');
    await makeRefreshHistory({ store, clock: clock.now, logger: quiet })(user);
    // Dan's reply, written on the 26th, reaches the log address after the checkpoint.
    await log(
      anIncomingMessage({
        messageId: 'dan-yes@mail.dan.example',
        from: 'dan@example.com',
        contacts: [{ address: 'dan@example.com', name: 'Dan', role: 'from', awaited: false }],
        sentAt: '2025-02-26T09:00:00.000Z',
        inReplyTo: ['intro@mail.example.com'],
        references: ['intro@mail.example.com'],
      }),
      '2025-03-03T08:00:00.000Z',
    );
    const now = new Date('2025-03-03T09:00:00.000Z');
    clock.set(now.toISOString());
    const everything = { listThreadMessages: (id: string) => store.listThreadMessages(id) };

    // Act
    const history = await readHistory(store, user.userId, now);
    const fromCheckpoint = await makeRelationships({ store, clock: clock.now })(user);
    const fromEverything = await makeRelationships({ store: everything, clock: clock.now })(user);

    // Assess
    expect(history.read).toBe('checkpoint');
    // Bob's settled lunch is folded: Carol's open wait and Dan's thread are all that is read.
    expect(history.messages.map((m) => m.messageId).sort()).toEqual([
      'dan-yes@mail.dan.example',
      'deck@mail.example.com',
      'intro@mail.example.com',
    ]);
    const open = (r: typeof fromEverything) =>
      r.threads.flatMap((t) =>
        t.contacts
          .filter((c) => c.state !== 'replied')
          .map((c) => [t.threadKey, c.address, c.state]),
      );
    expect(open(fromCheckpoint)).toEqual(open(fromEverything));
    expect(open(fromCheckpoint)).toEqual([[expect.any(String), 'carol@example.com', 'due']]);
    expect(fromCheckpoint.ledger.sort((a, b) => (a.address < b.address ? -1 : 1))).toEqual(
      fromEverything.ledger.sort((a, b) => (a.address < b.address ? -1 : 1)),
    );
    expect(fromCheckpoint.helpFirst).toEqual(fromEverything.helpFirst);
    expect(await store.listThreadMessagesLoggedSince(user.userId, '')).toHaveLength(1);
  });

  test('a digest builds the checkpoint again once it is a week old, 200 messages behind, or no longer folds', async () => {
    // Prepare
    const tableName = await running.freshTable();
    const clock = aClock('2025-03-03T07:00:00.000Z');
    const store = new DynamoStore({ client: running.client, tableName, clock: clock.now });
    const user = aUser();
    const refresh = makeRefreshHistory({ store, clock: clock.now, logger: quiet });
    let n = 0;
    const log = async (at: string, sentAt = at) => {
      clock.set(at);
      n++;
      await store.saveLoggedMessage({
        ...aLoggedMessage({
          messageId: `m${n}@mail.example.com`,
          subject: `Note ${n}`,
          sentAt,
          contacts: [awaiting(`p${n % 7}@example.com`)],
        }),
        receivedAt: at,
      });
    };
    const builtAfter = async (at: string) => {
      clock.set(at);
      await refresh(user);
      return store.checkpointBuiltAt(user.userId);
    };
    await log('2025-03-03T06:00:00.000Z');
    const first = await builtAfter('2025-03-03T07:00:00.000Z');

    // Act and assess: a day later, with a message since, the checkpoint stays.
    await log('2025-03-04T06:00:00.000Z');
    expect(await builtAfter('2025-03-04T07:00:00.000Z')).toBe(first);
    // A week after it was built, it is built again.
    const weekOld = await builtAfter('2025-03-10T07:00:00.000Z');
    expect(weekOld).not.toBe(first);
    // 200 messages since, the next day: built again.
    for (let i = 0; i < 200; i++)
      await log(`2025-03-10T08:${String(i % 60).padStart(2, '0')}:00.000Z`);
    const behind = await builtAfter('2025-03-11T07:00:00.000Z');
    expect(behind).not.toBe(weekOld);
    // Mail dated two months back, logged the next day, does not fold on it: built again.
    await log('2025-03-12T06:00:00.000Z', '2025-01-02T09:00:00.000Z');
    expect(await builtAfter('2025-03-12T07:00:00.000Z')).not.toBe(behind);
  });

  test('a refresh told what the digest just read of a checkpoint not yet due reads nothing again', async () => {
    // Prepare: a checkpoint, then a day's message since.
    const tableName = await running.freshTable();
    const clock = aClock('2025-03-03T06:00:00.000Z');
    const store = new DynamoStore({ client: running.client, tableName, clock: clock.now });
    const user = aUser();
    await store.saveLoggedMessage({ ...aLoggedMessage(), receivedAt: clock.now().toISOString() });
    clock.set('2025-03-03T07:00:00.000Z');
    await makeRefreshHistory({ store, clock: clock.now, logger: quiet })(user);
    clock.set('2025-03-04T06:00:00.000Z');
    await store.saveLoggedMessage({
      ...aLoggedMessage({ sentAt: '2025-03-04T05:00:00.000Z' }),
      receivedAt: clock.now().toISOString(),
    });
    clock.set('2025-03-04T07:00:00.000Z');
    let reads = 0;
    // The store, counting reads of the checkpoint.
    const counted = new Proxy(store, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'getCheckpoint') reads++;
          return value.apply(target, args);
        };
      },
    });
    const refresh = makeRefreshHistory({ store: counted, clock: clock.now, logger: quiet });

    // Act: the view the digest built, then the refresh told what it read, then one told nothing.
    const viewed = (await readHistory(counted, user.userId, clock.now())).checkpoint;
    const readByView = reads;
    await refresh(user, viewed);
    const readByToldRefresh = reads - readByView;
    await refresh(user);

    // Assess
    expect(viewed).toEqual({ builtAt: '2025-03-03T06:58:00.000Z', loggedSince: 1 });
    expect(readByToldRefresh).toBe(0);
    expect(reads - readByView).toBe(1);
  });
});
