/**
 * The Store contract: what every DynamoDB API the store runs on must give the same answer to.
 * It runs on dynalite (always) and on AWS's DynamoDB Local (when Java is present), so the embedded
 * stack and AWS cannot drift. Each test gets a fresh table on a shared server.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { keys } from '#adapters/dynamodb/table-design.ts';
import type { LoggedMessage } from '#domain/model.ts';
import {
  type RunningBackend,
  type StoreBackend,
  storeBackends,
} from '#test/support/store-backends.ts';
import {
  aClock,
  aContact,
  aLoggedMessage,
  aLoggedOutcome,
  anEnvelope,
  aRejection,
  aUser,
  awaiting,
} from '#test/support/store-builders.ts';
import {
  type CallSeen,
  crashingClient,
  SimulatedCrashError,
} from '#test/support/store-crashing-client.ts';

const byAddress = (a: { address: string }, b: { address: string }) =>
  a.address.localeCompare(b.address);

function storeContract(backend: StoreBackend) {
  let running: RunningBackend;

  beforeAll(async () => {
    running = await backend.start();
  });

  afterAll(async () => {
    await running?.close();
  });

  /** A store on a new, empty table, with a clock the test moves. */
  async function aStore(startAt = '2025-03-03T12:00:00.000Z') {
    const tableName = await running.freshTable();
    const clock = aClock(startAt);
    const store = new DynamoStore({ client: running.client, tableName, clock: clock.now });
    return { store, clock, tableName };
  }

  describe('addUser', () => {
    test('adds a user, found by its primary address and by an alias whatever the case typed', async () => {
      // Prepare
      const { store } = await aStore();
      const ada = aUser({ email: 'ada@example.com', aliases: ['ada@work.example'] });

      // Act
      const result = await store.addUser(ada);

      // Assess
      expect(result).toEqual({ added: true });
      expect(await store.findUserByAddress('Ada@Example.COM')).toEqual(ada);
      expect(await store.findUserByAddress('ADA@work.example')).toEqual(ada);
      expect(await store.findUserByAddress('grace@example.com')).toBeNull();
    });

    test.each([
      {
        taken: 'an alias',
        grace: { email: 'grace@example.com', aliases: ['ada@work.example', 'grace@home.example'] },
      },
      {
        taken: 'the primary address',
        grace: { email: 'ada@work.example', aliases: ['grace@example.com', 'grace@home.example'] },
      },
    ])(
      'refuses $taken another user owns and keeps nothing of the refused user',
      async ({ grace }) => {
        // Prepare
        const { store, tableName } = await aStore();
        const ada = aUser({ email: 'ada@example.com', aliases: ['ada@work.example'] });
        await store.addUser(ada);
        const refused = aUser({ userId: 'user-grace', ...grace });

        // Act
        const result = await store.addUser(refused);

        // Assess
        expect(result).toEqual({ added: false, taken: ['ada@work.example'] });
        expect(await store.findUserByAddress('ada@work.example')).toEqual(ada);
        expect(await store.findUserByAddress('grace@example.com')).toBeNull();
        expect(await store.findUserByAddress('grace@home.example')).toBeNull();
        const profile = await running.client.send(
          new GetCommand({
            TableName: tableName,
            Key: keys.user('user-grace'),
            ConsistentRead: true,
          }),
        );
        expect(profile.Item).toBeUndefined();
        expect((await store.listUsers()).map((u) => u.userId)).toEqual([ada.userId]);
      },
    );

    test('refusing a registered user a new alias someone else owns leaves the user as it was', async () => {
      // Prepare
      const { store } = await aStore();
      const ada = aUser({ email: 'ada@example.com' });
      const grace = aUser({ email: 'grace@example.com' });
      await store.addUser(ada);
      await store.addUser(grace);

      // Act
      const result = await store.addUser({ ...ada, aliases: ['grace@example.com'] });

      // Assess
      expect(result).toEqual({ added: false, taken: ['grace@example.com'] });
      expect(await store.findUserByAddress('ada@example.com')).toEqual(ada);
      expect(await store.findUserByAddress('grace@example.com')).toEqual(grace);
    });

    test('adding the same user twice is idempotent', async () => {
      // Prepare
      const { store } = await aStore();
      const ada = aUser({ aliases: ['ada@work.example'] });
      await store.addUser(ada);

      // Act
      const again = await store.addUser(ada);

      // Assess
      expect(again).toEqual({ added: true });
      expect(await store.listUsers()).toEqual([ada]);
      expect(await store.findUserByAddress('ada@work.example')).toEqual(ada);
    });

    test('listUsers lists every registered user', async () => {
      // Prepare
      const { store } = await aStore();
      const ada = aUser({ email: 'ada@example.com' });
      const grace = aUser({ email: 'grace@example.com', aliases: ['grace@home.example'] });
      await store.addUser(ada);
      await store.addUser(grace);

      // Act
      const users = await store.listUsers();

      // Assess
      expect(users.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([ada, grace]);
    });
  });

  describe('saveLoggedMessage', () => {
    test('saves a message once; other receipts of it are duplicates and the same receipt again moves nothing', async () => {
      // Prepare
      const { store } = await aStore();
      const message = aLoggedMessage({ contacts: [aContact('bob@example.com')] });
      const laterCopy = {
        ...message,
        receiptId: 'another-receipt',
        sentAt: '2030-01-01T00:00:00.000Z',
      };

      // Act
      const results = [
        await store.saveLoggedMessage(message),
        await store.saveLoggedMessage(laterCopy),
        await store.saveLoggedMessage(message),
        await store.saveLoggedMessage({ ...message, receiptId: 'a-third-receipt' }),
      ];

      // Assess
      expect(results).toEqual(['saved', 'duplicate', 'saved', 'duplicate']);
      expect(await store.listContacts(message.userId)).toEqual([
        {
          address: 'bob@example.com',
          name: 'Bob',
          touchesOut: 1,
          touchesIn: 0,
          lastOutAt: message.sentAt,
          lastInAt: null,
        },
      ]);
    });

    test('listContacts counts each message to a contact once', async () => {
      // Prepare
      const { store } = await aStore();
      const first = aLoggedMessage({
        sentAt: '2025-03-01T09:00:00.000Z',
        contacts: [aContact('bob@example.com'), aContact('carol@example.com', { role: 'cc' })],
      });
      const second = aLoggedMessage({
        sentAt: '2025-03-02T09:00:00.000Z',
        contacts: [aContact('bob@example.com')],
      });

      // Act
      await store.saveLoggedMessage(first);
      await store.saveLoggedMessage(second);
      await store.saveLoggedMessage(second);

      // Assess
      const contacts = await store.listContacts('user-ada');
      expect(contacts.sort(byAddress).map((c) => [c.address, c.touchesOut, c.lastOutAt])).toEqual([
        ['bob@example.com', 2, second.sentAt],
        ['carol@example.com', 1, first.sentAt],
      ]);
    });

    const older = { sentAt: '2025-03-01T09:00:00.000Z', subject: 'Lunch next week?' };
    const newer = { sentAt: '2025-03-05T16:30:00.000Z', subject: 'Re: Lunch next week?' };
    const arrivals = [
      { order: 'in the order sent', arrivesFirst: older, arrivesSecond: newer },
      { order: 'the older one arriving late', arrivesFirst: newer, arrivesSecond: older },
    ];

    /** Two messages on one thread to (and awaiting) bob, saved in the given order. */
    async function saveTwoOnOneThread(arrival: (typeof arrivals)[number]) {
      const { store } = await aStore();
      const build = (at: typeof older) =>
        aLoggedMessage({
          ...at,
          threadKey: 'thread-lunch',
          contacts: [awaiting('bob@example.com')],
        });
      const [first, second] = [build(arrival.arrivesFirst), build(arrival.arrivesSecond)];
      await store.saveLoggedMessage(first);
      await store.saveLoggedMessage(second);
      const [oldest, latest] = first.sentAt < second.sentAt ? [first, second] : [second, first];
      return { store, oldest, latest };
    }

    test.each(arrivals)('lastOutAt is the latest message, $order', async (arrival) => {
      // Prepare, Act
      const { store, latest } = await saveTwoOnOneThread(arrival);

      // Assess
      const [bob] = await store.listContacts('user-ada');
      expect(bob).toMatchObject({ touchesOut: 2, lastOutAt: latest.sentAt });
    });

    test.each(arrivals)(
      'the thread keeps the earliest subject and firstAt and the latest lastAt, $order',
      async (arrival) => {
        // Prepare, Act
        const { store, oldest, latest } = await saveTwoOnOneThread(arrival);

        // Assess
        const threads = await store.listThreads('user-ada');
        expect(threads.map(({ awaited: _, ...thread }) => thread)).toEqual([
          {
            threadKey: 'thread-lunch',
            subject: older.subject,
            firstAt: oldest.sentAt,
            lastAt: latest.sentAt,
          },
        ]);
      },
    );

    test.each(arrivals)('the latest message sets the reply window, $order', async (arrival) => {
      // Prepare, Act
      const { store, latest } = await saveTwoOnOneThread(arrival);

      // Assess
      const [thread] = await store.listThreads('user-ada');
      expect(thread?.awaited).toEqual([
        {
          address: 'bob@example.com',
          name: 'Bob',
          sentAt: latest.sentAt,
          dueOn: latest.dueOn,
          timeZone: 'Europe/Berlin',
          messageKey: latest.messageKey,
        },
      ]);
    });

    test('listThreads groups awaited replies under their own thread, latest thread first', async () => {
      // Prepare
      const { store } = await aStore();
      const lunch = aLoggedMessage({
        threadKey: 'thread-lunch',
        sentAt: '2025-03-02T09:00:00.000Z',
        contacts: [awaiting('bob@example.com'), awaiting('carol@example.com')],
      });
      const offer = aLoggedMessage({
        threadKey: 'thread-offer',
        sentAt: '2025-03-03T09:00:00.000Z',
        contacts: [awaiting('dave@example.com')],
      });
      const thanks = aLoggedMessage({
        threadKey: 'thread-thanks',
        sentAt: '2025-03-01T09:00:00.000Z',
        contacts: [aContact('erin@example.com')],
      });

      // Act
      for (const message of [lunch, offer, thanks]) await store.saveLoggedMessage(message);

      // Assess
      const threads = await store.listThreads('user-ada');
      expect(
        threads.map((t) => [t.threadKey, t.awaited.sort(byAddress).map((a) => a.address)]),
      ).toEqual([
        ['thread-offer', ['dave@example.com']],
        ['thread-lunch', ['bob@example.com', 'carol@example.com']],
        ['thread-thanks', []],
      ]);
    });
  });

  describe('a crash part way through saveLoggedMessage', () => {
    const isMessageItem = (call: CallSeen) => call.sortKey?.startsWith('MSG#') === true;
    const crashPoints: { after: string; crashesOn: (call: CallSeen) => boolean }[] = [
      { after: 'writing the pending message item', crashesOn: (call) => call.index > 0 },
      {
        after: 'touching the contacts',
        crashesOn: (call) => call.sortKey?.startsWith('THREAD#') === true,
      },
      {
        after: 'every effect but the Message-ID owner',
        crashesOn: (call) => call.sortKey?.startsWith('USER#') === true && !isMessageItem(call),
      },
    ];

    const aMessageToBobAndCarol = () =>
      aLoggedMessage({
        threadKey: 'thread-lunch',
        contacts: [awaiting('bob@example.com'), aContact('carol@example.com', { role: 'cc' })],
      });

    async function expectEverythingSavedOnce(store: DynamoStore, message: LoggedMessage) {
      const contacts = await store.listContacts(message.userId);
      expect(contacts.sort(byAddress).map((c) => [c.address, c.touchesOut, c.lastOutAt])).toEqual([
        ['bob@example.com', 1, message.sentAt],
        ['carol@example.com', 1, message.sentAt],
      ]);
      const threads = await store.listThreads(message.userId);
      expect(threads).toEqual([
        {
          threadKey: 'thread-lunch',
          subject: message.subject,
          firstAt: message.sentAt,
          lastAt: message.sentAt,
          awaited: [
            expect.objectContaining({ address: 'bob@example.com', messageKey: message.messageKey }),
          ],
        },
      ]);
      expect(await store.saveLoggedMessage({ ...message, receiptId: 'another-receipt' })).toBe(
        'duplicate',
      );
    }

    test.each(crashPoints)(
      'a retry after $after completes it, counting once',
      async ({ crashesOn }) => {
        // Prepare
        const { store, clock, tableName } = await aStore();
        const message = aMessageToBobAndCarol();
        const crashing = crashingClient(running.client, crashesOn);
        const dying = new DynamoStore({ client: crashing.client, tableName, clock: clock.now });
        await expect(dying.saveLoggedMessage(message)).rejects.toBeInstanceOf(SimulatedCrashError);
        await crashing.settled();

        // Act
        const retried = await store.saveLoggedMessage(message);

        // Assess
        expect(retried).toBe('saved');
        await expectEverythingSavedOnce(store, message);
      },
    );

    test('a retry completes a message whose pending item is all a crash left', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      const message = aMessageToBobAndCarol();
      await running.client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.message(message.userId, message.messageKey),
            ...message,
            status: 'pending',
          },
        }),
      );
      expect(await store.listContacts(message.userId)).toEqual([]);

      // Act
      const retried = await store.saveLoggedMessage(message);

      // Assess
      expect(retried).toBe('saved');
      await expectEverythingSavedOnce(store, message);
    });
  });

  describe('receipts', () => {
    test('beginReceipt twice returns the first record, with its outcome once one is recorded', async () => {
      // Prepare
      const { store } = await aStore();
      const envelope = anEnvelope();
      const outcome = aLoggedOutcome();

      // Act
      const first = await store.beginReceipt(envelope);
      const again = await store.beginReceipt({ ...envelope, rawKey: 'raw/other' });
      await store.finishReceipt(envelope, outcome, { from: 'ada@example.com' });
      const afterFinish = await store.beginReceipt(envelope);

      // Assess
      expect(first).toEqual({ envelope, outcome: null, failure: null });
      expect(again).toEqual({ envelope, outcome: null, failure: null });
      expect(afterFinish).toEqual({ envelope, outcome, failure: null });
    });

    test('listRejections shows the rejected receipts of the days asked, newest first', async () => {
      // Prepare
      const { store } = await aStore('2025-03-03T12:00:00.000Z');
      const receive = async (
        at: string,
        outcome = aRejection('unknown-sender', `sent at ${at}`),
      ) => {
        const envelope = anEnvelope({ receivedAt: new Date(at) });
        await store.beginReceipt(envelope);
        await store.finishReceipt(envelope, outcome, {
          from: 'eve@example.com',
          subject: at,
        });
        return envelope.receiptId;
      };
      const yesterday = await receive('2025-03-02T22:00:00.000Z');
      const morning = await receive('2025-03-03T08:00:00.000Z');
      await receive('2025-03-03T09:00:00.000Z', aLoggedOutcome());
      const noon = await receive('2025-03-03T11:00:00.000Z', aRejection('spam', 'marked as spam'));

      // Act
      const today = await store.listRejections({ days: 1, limit: 50 });
      const twoDays = await store.listRejections({ days: 2, limit: 50 });

      // Assess
      expect(today.map((r) => r.receiptId)).toEqual([noon, morning]);
      expect(today[0]).toEqual({
        receiptId: noon,
        receivedAt: '2025-03-03T11:00:00.000Z',
        recipients: ['log@givefirst.example'],
        from: 'eve@example.com',
        subject: '2025-03-03T11:00:00.000Z',
        reason: 'spam',
        detail: 'marked as spam',
      });
      expect(twoDays.map((r) => r.receiptId)).toEqual([noon, morning, yesterday]);
    });

    test.each([
      { outcome: 'logged', finish: aLoggedOutcome() },
      { outcome: 'rejected', finish: aRejection() },
    ])('a failed receipt is listed until it is finished ($outcome)', async ({ finish }) => {
      // Prepare
      const { store } = await aStore();
      const envelope = anEnvelope();
      await store.beginReceipt(envelope);

      // Act
      await store.failReceipt(envelope, 'storage unavailable');
      const whileFailed = await store.listFailedReceipts(10);
      await store.finishReceipt(envelope, finish, {});
      const afterFinish = await store.listFailedReceipts(10);

      // Assess
      expect(whileFailed).toEqual([{ envelope, outcome: null, failure: 'storage unavailable' }]);
      expect(afterFinish).toEqual([]);
      expect(await store.beginReceipt(envelope)).toEqual({
        envelope,
        outcome: finish,
        failure: null,
      });
    });

    test('failReceipt after an outcome was recorded changes nothing', async () => {
      // Prepare
      const { store } = await aStore();
      const envelope = anEnvelope();
      const outcome = aLoggedOutcome();
      await store.beginReceipt(envelope);
      await store.finishReceipt(envelope, outcome, {});

      // Act
      await store.failReceipt(envelope, 'late failure');

      // Assess
      expect(await store.listFailedReceipts(10)).toEqual([]);
      expect(await store.beginReceipt(envelope)).toEqual({ envelope, outcome, failure: null });
    });

    test('records past their expiry are no longer listed, though no TTL has removed them', async () => {
      // Prepare
      const { store, clock } = await aStore('2025-03-03T12:00:00.000Z');
      const rejected = anEnvelope({ receivedAt: new Date('2025-03-03T10:00:00.000Z') });
      const failed = anEnvelope({ receivedAt: new Date('2025-03-03T11:00:00.000Z') });
      await store.beginReceipt(rejected);
      await store.finishReceipt(rejected, aRejection(), {});
      await store.beginReceipt(failed);
      await store.failReceipt(failed, 'storage unavailable');
      clock.advanceDays(29);
      const listedBefore = {
        rejections: (await store.listRejections({ days: 40, limit: 10 })).map((r) => r.receiptId),
        failed: (await store.listFailedReceipts(10)).map((r) => r.envelope.receiptId),
      };

      // Act
      clock.advanceDays(2);
      const listedAfter = {
        rejections: (await store.listRejections({ days: 40, limit: 10 })).map((r) => r.receiptId),
        failed: (await store.listFailedReceipts(10)).map((r) => r.envelope.receiptId),
      };

      // Assess
      expect(listedBefore).toEqual({
        rejections: [rejected.receiptId],
        failed: [failed.receiptId],
      });
      expect(listedAfter).toEqual({ rejections: [], failed: [] });
    });
  });

  describe('tenant isolation', () => {
    test('each user sees only their own contacts and threads, even for the same address and message', async () => {
      // Prepare
      const { store } = await aStore();
      const shared = { messageKey: 'msg-shared', threadKey: 'thread-shared' };
      const adas = aLoggedMessage({
        ...shared,
        userId: 'user-ada',
        subject: 'From Ada',
        contacts: [awaiting('bob@example.com', { name: 'Bob' }), aContact('carol@example.com')],
      });
      const graces = aLoggedMessage({
        ...shared,
        userId: 'user-grace',
        subject: 'From Grace',
        contacts: [aContact('bob@example.com', { name: 'Robert' })],
      });

      // Act
      const saved = [await store.saveLoggedMessage(adas), await store.saveLoggedMessage(graces)];

      // Assess
      expect(saved).toEqual(['saved', 'saved']);
      const contactsOf = async (userId: string) =>
        (await store.listContacts(userId))
          .sort(byAddress)
          .map((c) => [c.address, c.name, c.touchesOut]);
      expect(await contactsOf('user-ada')).toEqual([
        ['bob@example.com', 'Bob', 1],
        ['carol@example.com', 'Carol', 1],
      ]);
      expect(await contactsOf('user-grace')).toEqual([['bob@example.com', 'Robert', 1]]);
      const threadsOf = async (userId: string) =>
        (await store.listThreads(userId)).map((t) => [t.subject, t.awaited.map((a) => a.address)]);
      expect(await threadsOf('user-ada')).toEqual([['From Ada', ['bob@example.com']]]);
      expect(await threadsOf('user-grace')).toEqual([['From Grace', []]]);
    });
  });
}

const runnable = storeBackends.filter((b) => b.unavailable === null);
const missing = storeBackends.filter((b) => b.unavailable !== null);

describe.each(runnable)('store contract on $name', storeContract);
describe.skip.each(missing)('store contract on $name (skipped: $unavailable)', storeContract);
