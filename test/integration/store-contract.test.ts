/**
 * The Store contract: what every DynamoDB API the store runs on must give the same answer to.
 * It runs on dynalite (always) and on AWS's DynamoDB Local (when Java is present), so the embedded
 * stack and AWS cannot drift. Each test gets a fresh table on a shared server.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoOnboardingStore } from '#adapters/dynamodb/onboarding-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { gsi2, keys, receiptRetentionDays } from '#adapters/dynamodb/table-design.ts';
import { nobody } from '#domain/help-first.ts';
import type { HistoryCheckpoint } from '#domain/history-checkpoint.ts';
import { userIdFor } from '#domain/ids.ts';
import type { LoggedMessage } from '#domain/model.ts';
import { replyAddressDays } from '#domain/reply-token.ts';
import type { ThreadMessage } from '#domain/threads.ts';
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
  anIncomingMessage,
  aRejection,
  aUser,
  awaiting,
} from '#test/support/store-builders.ts';
import {
  type CallSeen,
  crashingClient,
  SimulatedCrashError,
} from '#test/support/store-crashing-client.ts';
import { makeRelationships } from '#use-cases/help-first.ts';

const byAddress = (a: { address: string }, b: { address: string }) =>
  a.address.localeCompare(b.address);

/** A user's contacts as `givefirst contacts` shows them: the ledger built from their messages. */
async function ledgerOf(store: DynamoStore, userId: string, now: Date) {
  const { ledger } = await makeRelationships({ store, clock: () => now })(aUser({ userId }));
  return ledger.sort(byAddress);
}

/** [address, touchesOut, touchesIn, lastOutAt, lastInAt] of each of Ada's contacts. */
const ledgerRows = async (store: DynamoStore, now: Date) =>
  (await ledgerOf(store, 'user-ada', now)).map((c) => [
    c.address,
    c.touchesOut,
    c.touchesIn,
    c.lastOutAt,
    c.lastInAt,
  ]);

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

    test('finds a user whose id follows the primary address, by that address and by an alias', async () => {
      // Prepare
      const { store } = await aStore();
      const email = 'ada@example.com';
      const ada = aUser({ userId: userIdFor(email), email, aliases: ['ada@work.example'] });
      const grace = aUser({ userId: userIdFor('grace@example.com'), email: 'grace@example.com' });
      await store.addUser(ada);
      await store.addUser(grace);

      // Act
      const found = [
        await store.findUserByAddress('Ada@Example.com'),
        await store.findUserByAddress('ada@work.example'),
        await store.findUserByAddress('grace@example.com'),
        await store.findUserByAddress('nobody@example.com'),
      ];

      // Assess
      expect(found).toEqual([ada, ada, grace, null]);
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

  describe('getUser', () => {
    test('finds a registered user by id; an unknown id gives null', async () => {
      // Prepare
      const { store } = await aStore();
      const ada = aUser({ email: 'ada@example.com', aliases: ['ada@work.example'] });
      const grace = aUser({ email: 'grace@example.com' });
      await store.addUser(ada);
      await store.addUser(grace);

      // Act
      const found = [await store.getUser(ada.userId), await store.getUser('user-nobody')];

      // Assess
      expect(found).toEqual([ada, null]);
    });
  });

  describe('the slot index', () => {
    test('finds users by their slot, and every user of a run of slots across days, in slot order', async () => {
      // Prepare
      const { store } = await aStore();
      const users = ['user-a', 'user-b', 'user-c', 'user-d', 'user-e'].map((id) =>
        aUser({ userId: id, email: `${id}@example.com` }),
      );
      for (const user of users) await store.addUser(user);
      const slots = [
        '2025-03-03T07:00Z',
        '2025-03-03T07:15Z',
        '2025-03-05T23:45Z',
        '2025-03-13T06:00Z',
        '2025-03-14T00:00Z',
      ];
      for (const [i, user] of users.entries()) {
        const slot = slots[i] ?? '';
        await store.scheduleDigest(user.userId, {
          slot,
          at: new Date(slot.replace('Z', ':00Z')),
          localDate: slot.slice(0, 10),
        });
      }

      // Act
      const inOneSlot = await store.usersDueInSlot('2025-03-03T07:15Z');
      const afterTheFirst = await store.usersDueBetween('2025-03-03T07:00Z', '2025-03-13T06:00Z');
      const onlyTheLast = await store.usersDueBetween(null, '2025-03-14T00:00Z');

      // Assess
      expect(inOneSlot).toEqual(['user-b']);
      expect(afterTheFirst).toEqual([
        { userId: 'user-b', slot: '2025-03-03T07:15Z' },
        { userId: 'user-c', slot: '2025-03-05T23:45Z' },
        { userId: 'user-d', slot: '2025-03-13T06:00Z' },
      ]);
      expect(onlyTheLast).toEqual([{ userId: 'user-e', slot: '2025-03-14T00:00Z' }]);
    });
  });

  describe('the slot index, as written before it was partitioned by day', () => {
    test('still finds a user scheduled under the per-slot key, until they are scheduled again', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      const user = aUser({ userId: 'user-old', email: 'old@example.com' });
      await store.addUser(user);
      await running.client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.user(user.userId),
            ...user,
            GSI2PK: gsi2.legacySlot('2025-03-04T07:00Z', gsi2.shardOf(user.userId)),
            GSI2SK: user.userId,
          },
        }),
      );

      // Act
      const found = await store.usersDueBetween('2025-03-04T06:45Z', '2025-03-04T07:00Z');
      await store.scheduleDigest(user.userId, {
        slot: '2025-03-05T07:00Z',
        at: new Date('2025-03-05T07:00:00Z'),
        localDate: '2025-03-05',
      });
      const after = [
        await store.usersDueBetween('2025-03-04T06:45Z', '2025-03-04T07:00Z'),
        await store.usersDueInSlot('2025-03-05T07:00Z'),
      ];

      // Assess
      expect(found).toEqual([{ userId: 'user-old', slot: '2025-03-04T07:00Z' }]);
      expect(after).toEqual([[], ['user-old']]);
    });
  });

  describe('saveLoggedMessage', () => {
    const saved = { status: 'saved', repliesParked: false };

    test('saves a message once; other receipts of it are duplicates and the same receipt again goes on', async () => {
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
      const duplicate = { status: 'duplicate', loggedBy: message.receiptId };
      expect(results).toEqual([saved, duplicate, saved, duplicate]);
      expect(await store.listMessages(message.userId)).toEqual([message]);
      expect(await store.ownersOfMessages([message.messageId])).toEqual([message.userId]);
    });

    test('a new receipt of a message whose receipt never finished goes on; once it finished, a copy is a duplicate', async () => {
      // Prepare
      const { store } = await aStore();
      const envelope = anEnvelope();
      const message = aLoggedMessage({ receiptId: envelope.receiptId });
      await store.beginReceipt(envelope);
      await store.saveLoggedMessage(message);

      // Act
      const whileUnfinished = await store.saveLoggedMessage({ ...message, receiptId: 'retry-1' });
      await store.finishReceipt(envelope, aLoggedOutcome(message.messageKey), {});
      const afterFinish = await store.saveLoggedMessage({ ...message, receiptId: 'retry-2' });

      // Assess
      expect(whileUnfinished).toEqual(saved);
      expect(afterFinish).toEqual({ status: 'duplicate', loggedBy: envelope.receiptId });
      expect(await store.listMessages(message.userId)).toEqual([message]);
    });

    test('says when replies are parked under the Message-ID it saves, and only then', async () => {
      // Prepare
      const { store } = await aStore();
      const question = aLoggedMessage();
      const other = aLoggedMessage();
      const reply = anEnvelope();
      await store.parkReply([question.messageId], reply);

      // Act
      const results = [
        await store.saveLoggedMessage(question),
        await store.saveLoggedMessage(other),
      ];

      // Assess
      expect(results).toEqual([{ status: 'saved', repliesParked: true }, saved]);
      expect(await store.parkedReplies(question.messageId)).toEqual([reply.receiptId]);
      expect(await store.ownersOfMessages([question.messageId])).toEqual([question.userId]);
    });

    test('the ledger counts each saved message to a contact once, the latest as last', async () => {
      // Prepare
      const { store, clock } = await aStore();
      const first = aLoggedMessage({
        sentAt: '2025-03-01T09:00:00.000Z',
        contacts: [aContact('bob@example.com'), aContact('carol@example.com', { role: 'cc' })],
      });
      const second = aLoggedMessage({
        sentAt: '2025-03-02T09:00:00.000Z',
        contacts: [aContact('bob@example.com')],
      });
      const reply = anIncomingMessage({ from: 'bob@example.com', sentAt: '2025-03-02T10:00:00Z' });

      // Act
      for (const message of [second, first, second, reply, { ...second, receiptId: 'copy' }]) {
        await store.saveLoggedMessage(message);
      }

      // Assess
      expect(await ledgerRows(store, clock.now())).toEqual([
        ['bob@example.com', 2, 1, second.sentAt, reply.sentAt],
        ['carol@example.com', 1, 0, first.sentAt, null],
      ]);
    });

    test("two copies of one reply (Cc'd and forwarded) are both kept", async () => {
      // Prepare
      const { store } = await aStore();
      const ccd = anIncomingMessage({
        messageId: 'reply-1@mail.bob.example',
        touchKey: 'touch-bob-reply',
      });
      const forwarded = anIncomingMessage({
        messageId: 'derived-1@derived.givefirst.invalid',
        messageIdSource: 'derived',
        via: 'forward-inline',
        touchKey: 'touch-bob-reply',
      });

      // Act
      const results = [
        await store.saveLoggedMessage(ccd),
        await store.saveLoggedMessage(forwarded),
      ];

      // Assess
      expect(results).toEqual([saved, saved]);
      const messages = await store.listMessages('user-ada');
      expect(messages.map((m) => m.via).sort()).toEqual(['cc-reply', 'forward-inline']);
    });

    test('stores a message without what its keys say and its usual values, and reads it back whole, as items written with them', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      const plain = aLoggedMessage({ messageId: 'plain@mail.example', subject: 'Plain' });
      const unusual = aLoggedMessage({
        messageId: 'unusual@mail.example',
        subject: 'Unusual',
        messageIdSource: 'derived',
        dateSource: 'clamped',
        asksSomething: true,
        touchKey: 'touch-unusual',
      });
      const written = aLoggedMessage({ messageId: 'written@mail.example', subject: 'Whole' });
      // An item as the store wrote them before: every field, the keys' values too.
      await running.client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.message(written.userId, written.messageKey), ...written },
        }),
      );

      // Act
      await store.saveLoggedMessage(plain);
      await store.saveLoggedMessage(unusual);

      // Assess
      const item = await running.client.send(
        new GetCommand({ TableName: tableName, Key: keys.message(plain.userId, plain.messageKey) }),
      );
      for (const name of ['userId', 'messageKey', 'touchKey', 'messageIdSource', 'dateSource'])
        expect(item.Item).not.toHaveProperty(name);
      for (const name of ['kind', 'asksSomething', 'broadcast', 'window', 'signals', 'tags'])
        expect(item.Item).not.toHaveProperty(name);
      const bySubject = (a: { subject: string }, b: { subject: string }) =>
        a.subject.localeCompare(b.subject);
      expect((await store.listMessages(plain.userId)).sort(bySubject)).toEqual(
        [plain, unusual, written].sort(bySubject),
      );
      expect(
        (await store.listThreadMessages(plain.userId)).map((m) => m.messageKey).sort(),
      ).toEqual([plain, unusual, written].map((m) => m.messageKey).sort());
    });
  });

  describe('listMessages', () => {
    const byKey = (a: LoggedMessage, b: LoggedMessage) => a.messageKey.localeCompare(b.messageKey);

    test('gives back every field of what was saved, an attribution date as a Date', async () => {
      // Prepare
      const { store } = await aStore();
      const sent = aLoggedMessage({
        messageId: 'third@mail.example.com',
        dateSource: 'clamped',
        contacts: [
          awaiting('bob@example.com', { name: 'Bob Byrne' }),
          aContact('carol@example.com', { role: 'cc', name: '' }),
          aContact('dave@example.com', { role: 'bcc' }),
        ],
        tags: {
          kinds: ['ask', 'promise'],
          window: { kind: 'weekday', weekday: 1, label: 'monday' },
          unknown: ['soonish'],
        },
        window: { kind: 'weekday', weekday: 1, label: 'monday' },
        attribution: {
          name: 'Bob Byrne',
          address: 'bob@example.com',
          date: new Date('2025-03-02T18:04:00.000Z'),
          line: 'On Sun, 2 Mar 2025 at 19:04, Bob Byrne <bob@example.com> wrote:',
        },
        inReplyTo: ['second@mail.bob.example'],
        references: ['first@mail.example.com', 'second@mail.bob.example'],
      });
      const outOfOffice = anIncomingMessage({
        messageId: 'ooo@mail.carol.example',
        from: 'carol@example.com',
        via: 'forward-attached',
        kind: 'auto-reply',
        outOfOffice: { returnsOn: '2025-03-10' },
        attribution: { name: 'Ada', address: null, date: null, line: 'Ada wrote:' },
        inReplyTo: ['third@mail.example.com'],
        touchKey: 'touch-carol-ooo',
      });

      // Act
      await store.saveLoggedMessage(sent);
      await store.saveLoggedMessage(outOfOffice);
      const listed = await store.listMessages('user-ada');

      // Assess
      expect(listed.sort(byKey)).toEqual([sent, outOfOffice].sort(byKey));
      const kept = listed.find((m) => m.messageKey === sent.messageKey);
      expect(kept?.attribution?.date).toBeInstanceOf(Date);
    });

    test.each([
      { length: 21, kept: Array.from({ length: 21 }, (_, i) => i) },
      { length: 30, kept: [0, ...Array.from({ length: 20 }, (_, i) => i + 10)] },
    ])(
      'keeps the first and the last 20 of a long References list ($length ids)',
      async ({ length, kept }) => {
        // Prepare
        const { store } = await aStore();
        const ids = Array.from({ length }, (_, i) => `ref-${i}@mail.example.com`);
        const message = aLoggedMessage({ references: ids });

        // Act
        await store.saveLoggedMessage(message);

        // Assess
        const [listed] = await store.listMessages('user-ada');
        expect(listed?.references).toEqual(kept.map((i) => ids[i]));
      },
    );

    test('lists nothing for a user who logged nothing', async () => {
      // Prepare
      const { store } = await aStore();
      await store.saveLoggedMessage(aLoggedMessage({ userId: 'user-ada' }));

      // Act
      const listed = await store.listMessages('user-grace');

      // Assess
      expect(listed).toEqual([]);
    });
  });

  describe('ownersOfMessages', () => {
    test('finds the user who logged any of the Message-IDs, once', async () => {
      // Prepare
      const { store } = await aStore();
      const first = aLoggedMessage({ userId: 'user-ada' });
      const second = aLoggedMessage({ userId: 'user-ada' });
      const graces = aLoggedMessage({ userId: 'user-grace' });
      for (const message of [first, second, graces]) await store.saveLoggedMessage(message);

      // Act
      const owners = await store.ownersOfMessages([
        'unknown@mail.example.com',
        first.messageId,
        second.messageId,
      ]);

      // Assess
      expect(owners).toEqual(['user-ada']);
      expect(await store.ownersOfMessages([graces.messageId])).toEqual(['user-grace']);
    });

    test('finds both users who logged the same Message-ID', async () => {
      // Prepare
      const { store } = await aStore();
      const messageId = 'shared@mail.example.com';
      await store.saveLoggedMessage(aLoggedMessage({ messageId, userId: 'user-ada' }));
      await store.saveLoggedMessage(aLoggedMessage({ messageId, userId: 'user-grace' }));

      // Act
      const owners = await store.ownersOfMessages([messageId]);

      // Assess
      expect(owners.sort()).toEqual(['user-ada', 'user-grace']);
    });

    test('forgets the owners the horizon after the message was logged (after its date, when that is later)', async () => {
      // Prepare: one message logged the day it was sent; one, a year old, imported months later.
      const { store, clock } = await aStore('2025-01-10T09:00:00.000Z');
      const recent = aLoggedMessage({ userId: 'user-ada', sentAt: '2025-01-10T08:00:00.000Z' });
      const imported = aLoggedMessage({ userId: 'user-ada', sentAt: '2024-01-10T08:00:00.000Z' });
      await store.saveLoggedMessage(recent);
      clock.set('2025-06-10T09:00:00.000Z');
      await store.saveLoggedMessage(imported);
      const ownersAt = async (at: string) => {
        clock.set(at);
        return [
          (await store.ownersOfMessages([recent.messageId])).length,
          (await store.ownersOfMessages([imported.messageId])).length,
        ];
      };

      // Act and assess: 13 months after each was logged.
      expect(await ownersAt('2026-02-10T08:59:00.000Z')).toEqual([1, 1]);
      expect(await ownersAt('2026-02-10T09:00:00.000Z')).toEqual([0, 1]);
      expect(await ownersAt('2026-07-10T09:00:00.000Z')).toEqual([0, 0]);
    });

    test.each([
      { asked: 'an unknown Message-ID', ids: ['unknown@mail.example.com'] },
      { asked: 'no Message-ID', ids: [] },
    ])('finds nobody for $asked', async ({ ids }) => {
      // Prepare
      const { store } = await aStore();
      await store.saveLoggedMessage(aLoggedMessage());

      // Act
      const owners = await store.ownersOfMessages(ids);

      // Assess
      expect(owners).toEqual([]);
    });
  });

  describe('recipientsOfSentMessages', () => {
    test("lists whom the user wrote to in their own sent messages, never another user's", async () => {
      // Prepare
      const { store } = await aStore();
      const messageId = 'copied@mail.example.com';
      await store.saveLoggedMessage(
        aLoggedMessage({
          messageId,
          userId: 'user-ada',
          contacts: [aContact('carol@example.com')],
        }),
      );
      await store.saveLoggedMessage(
        aLoggedMessage({
          messageId,
          userId: 'user-grace',
          contacts: [aContact('dan@example.com')],
        }),
      );
      const reply = anIncomingMessage({ userId: 'user-ada', from: 'bob@example.com' });
      await store.saveLoggedMessage(reply);

      // Act
      const ada = await store.recipientsOfSentMessages('user-ada', [messageId, reply.messageId]);
      const grace = await store.recipientsOfSentMessages('user-grace', [messageId]);

      // Assess
      expect(ada).toEqual(['carol@example.com']);
      expect(grace).toEqual(['dan@example.com']);
      expect(await store.recipientsOfSentMessages('user-grace', ['unknown@x.example'])).toEqual([]);
    });
  });

  describe('a crash part way through saveLoggedMessage', () => {
    const toBobAndCarol = () =>
      aLoggedMessage({
        contacts: [awaiting('bob@example.com'), aContact('carol@example.com', { role: 'cc' })],
      });
    const crashPoints = [
      { on: 'the owners item', crashesOn: (call: CallSeen) => call.index >= 0, owned: false },
      { on: 'the message item', crashesOn: (call: CallSeen) => call.index >= 1, owned: true },
    ];

    test.each(crashPoints)(
      'a crash on $on leaves no message, and a retry or a new receipt completes it',
      async ({ crashesOn, owned }) => {
        // Prepare
        const { store, clock, tableName } = await aStore();
        const envelope = anEnvelope();
        const message = { ...toBobAndCarol(), receiptId: envelope.receiptId };
        await store.beginReceipt(envelope);
        const crashing = crashingClient(running.client, crashesOn);
        const dying = new DynamoStore({ client: crashing.client, tableName, clock: clock.now });
        await expect(dying.saveLoggedMessage(message)).rejects.toBeInstanceOf(SimulatedCrashError);
        await crashing.settled();
        expect(await store.listMessages(message.userId)).toEqual([]);
        expect((await store.ownersOfMessages([message.messageId])).length > 0).toBe(owned);

        // Act
        const retried = await store.saveLoggedMessage({ ...message, receiptId: 'a-new-receipt' });

        // Assess
        expect(retried).toEqual({ status: 'saved', repliesParked: false });
        expect(await store.listMessages(message.userId)).toEqual([
          { ...message, receiptId: 'a-new-receipt' },
        ]);
        expect(await store.ownersOfMessages([message.messageId])).toEqual([message.userId]);
      },
    );
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

    test('a receipt begun and left without an outcome is listed for redrive once it has stalled, until it is finished', async () => {
      // Prepare
      const { store, clock } = await aStore('2025-03-03T12:00:00.000Z');
      const envelope = anEnvelope({ receivedAt: new Date('2025-03-03T11:59:00.000Z') });
      await store.beginReceipt(envelope);

      // Act
      const whileRunning = await store.listFailedReceipts(10);
      clock.advanceMinutes(6);
      const stalled = await store.listFailedReceipts(10);
      await store.finishReceipt(envelope, aLoggedOutcome(), {});
      const afterFinish = await store.listFailedReceipts(10);

      // Assess
      expect(whileRunning).toEqual([]);
      expect(stalled).toEqual([{ envelope, outcome: null, failure: null }]);
      expect(afterFinish).toEqual([]);
    });

    test('a stalled receipt is listed until midnight and past it', async () => {
      // Prepare
      const { store, clock } = await aStore('2025-03-03T23:58:00.000Z');
      const envelope = anEnvelope({ receivedAt: new Date('2025-03-03T23:58:00.000Z') });
      await store.beginReceipt(envelope);

      // Act
      clock.advanceMinutes(10);
      const nextDay = await store.listFailedReceipts(10);

      // Assess
      expect(nextDay.map((r) => r.envelope.receiptId)).toEqual([envelope.receiptId]);
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
      clock.advanceDays(receiptRetentionDays - 1);
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

  describe('command mails', () => {
    test('a command mail is known as long as any reply address works, then may be forgotten', async () => {
      // Prepare
      const { clock, tableName } = await aStore('2025-03-03T12:00:00.000Z');
      const store = new DynamoSteeringStore({
        client: running.client,
        tableName,
        clock: clock.now,
      });
      const first = await store.beginCommandMail('u1', 'mail-1', 'receipt-1', clock.now());

      // Act: a copy delivered late, on the reply address's last day, and one long after that
      clock.advanceDays(replyAddressDays);
      const onLastDay = await store.beginCommandMail('u1', 'mail-1', 'receipt-2', clock.now());
      clock.advanceDays(2);
      const afterwards = await store.beginCommandMail('u1', 'mail-1', 'receipt-3', clock.now());

      // Assess
      expect([first, onLastDay, afterwards]).toEqual(['new', 'duplicate', 'new']);
    });
  });

  describe('digest records', () => {
    test('a record is read for 60 days, gone once its 62 days are over, and still found for forget until TTL removes it', async () => {
      // Prepare
      const { store, clock, tableName } = await aStore('2025-03-03T07:00:00.000Z');
      const steering = new DynamoSteeringStore({
        client: running.client,
        tableName,
        clock: clock.now,
      });
      const record = {
        localDate: '2025-03-03',
        subject: 'Digest',
        startedAt: clock.now().toISOString(),
        items: [],
      };
      await store.beginDigest('u1', record);

      // Act
      clock.advanceDays(60);
      const onDay60 = {
        record: await store.getDigest('u1', '2025-03-03'),
        since: await steering.digestsSince('u1', '2025-03-03'),
      };
      clock.advanceDays(2);
      const after62Days = {
        record: await store.getDigest('u1', '2025-03-03'),
        all: await steering.digestsSince('u1', '2000-01-01'),
      };

      // Assess
      expect(onDay60.record).toMatchObject({ state: 'sending' });
      expect(onDay60.since).toHaveLength(1);
      expect(after62Days.record).toBeNull();
      expect(after62Days.all.map((d) => d.localDate)).toEqual(['2025-03-03']);
    });
  });

  describe('joining by email', () => {
    async function anOnboardingStore() {
      const tableName = await running.freshTable();
      const clock = aClock('2026-03-06T09:00:00.000Z');
      return {
        onboarding: new DynamoOnboardingStore({
          client: running.client,
          tableName,
          clock: clock.now,
        }),
        clock,
      };
    }

    test('allows, lists and removes domains; none allowed is told apart from another one allowed', async () => {
      // Prepare
      const { onboarding, clock } = await anOnboardingStore();
      const noneAtFirst = await onboarding.anyAllowed();

      // Act
      const added = [
        await onboarding.allowDomain('example.com', clock.now()),
        await onboarding.allowDomain('example.com', clock.now()),
        await onboarding.allowDomain('work.example', clock.now()),
      ];
      const removed = [
        await onboarding.removeDomain('work.example'),
        await onboarding.removeDomain('work.example'),
      ];

      // Assess
      expect(noneAtFirst).toBe(false);
      expect(added).toEqual([true, false, true]);
      expect(removed).toEqual([true, false]);
      expect(await onboarding.allowedDomains()).toEqual([
        { domain: 'example.com', allowedAt: '2026-03-06T09:00:00.000Z' },
      ]);
      expect(await onboarding.anyAllowed()).toBe(true);
      expect(await onboarding.isAllowed('example.com')).toBe(true);
      expect(await onboarding.isAllowed('work.example')).toBe(false);
    });

    test('claims one mail of a kind per address and day, keeps what the welcome said, and frees it once expired', async () => {
      // Prepare
      const { onboarding, clock } = await anOnboardingStore();
      const zone = { timeZone: 'Europe/Berlin', receiptId: 'r-welcome' };

      // Act
      const claims = await Promise.all(
        Array.from({ length: 5 }, () =>
          onboarding.claimJoinMail('ada@example.com', 'welcome', '2026-03-06', zone),
        ),
      );
      const otherKind = await onboarding.claimJoinMail('ada@example.com', 'joined', '2026-03-06', {
        receiptId: 'r-yes',
      });
      const nextDay = await onboarding.claimJoinMail('ada@example.com', 'welcome', '2026-03-07', {
        receiptId: 'r-next',
      });
      const said = await onboarding.welcomeOf('ada@example.com', '2026-03-06');
      clock.advanceDays(16);
      const afterExpiry = await onboarding.claimJoinMail(
        'ada@example.com',
        'joined',
        '2026-03-06',
        {
          receiptId: 'r-yes',
        },
      );

      // Assess
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(otherKind).toBe(true);
      expect(nextDay).toBe(true);
      expect(said).toEqual({ timeZone: 'Europe/Berlin' });
      expect(await onboarding.welcomeOf('ada@example.com', '2026-03-06')).toBeNull();
      expect(afterExpiry).toBe(true);
    });
  });

  describe('the history checkpoint', () => {
    const aCheckpoint = (builtAt: string, kept: ThreadMessage[] = []): HistoryCheckpoint => ({
      builtAt,
      kept,
      ledger: { at: '2025-02-01T00:00:00.000Z', contacts: [] },
    });

    test('lists the messages logged since a moment, until a checkpoint holds them', async () => {
      // Prepare
      const { store, clock, tableName } = await aStore('2025-03-03T12:00:00.000Z');
      const first = aLoggedMessage({ messageId: 'first@mail.example.com' });
      await store.saveLoggedMessage(first);
      clock.advanceMinutes(10);
      const second = aLoggedMessage({ messageId: 'second@mail.example.com' });
      const third = aLoggedMessage({ messageId: 'third@mail.example.com' });
      await store.saveLoggedMessage(second);
      await store.saveLoggedMessage(third);

      // Act
      const since = await store.listThreadMessagesLoggedSince(
        'user-ada',
        '2025-03-03T12:05:00.000Z',
      );
      await store.settleMessages('user-ada', [
        { messageKey: second.messageKey, expiresAt: new Date('2026-04-03T12:00:00.000Z') },
      ]);
      const after = await store.listThreadMessagesLoggedSince(
        'user-ada',
        '2025-03-03T12:05:00.000Z',
      );
      const item = await running.client.send(
        new GetCommand({ TableName: tableName, Key: keys.message('user-ada', second.messageKey) }),
      );

      // Assess
      expect(since.map((m) => m.messageId).sort()).toEqual([
        'second@mail.example.com',
        'third@mail.example.com',
      ]);
      expect(since[0]?.loggedAt).toBe('2025-03-03T12:10:00.000Z');
      expect(after.map((m) => m.messageId)).toEqual(['third@mail.example.com']);
      expect(item.Item?.GSI1PK).toBeUndefined();
      expect(item.Item?.expiresAt).toBe(Date.parse('2026-04-03T12:00:00.000Z') / 1000);
    });

    test('a settled message is not read once past its expiry, though dynalite keeps it', async () => {
      // Prepare
      const { store, clock } = await aStore('2025-03-03T12:00:00.000Z');
      const old = aLoggedMessage({ messageId: 'old@mail.example.com' });
      await store.saveLoggedMessage(old);
      await store.settleMessages('user-ada', [
        { messageKey: old.messageKey, expiresAt: new Date('2025-03-10T12:00:00.000Z') },
      ]);

      // Act
      const before = await store.listThreadMessages('user-ada');
      clock.advanceDays(8);
      const after = await store.listThreadMessages('user-ada');

      // Assess
      expect(before.map((m) => m.messageId)).toEqual(['old@mail.example.com']);
      expect(after).toEqual([]);
    });

    test('settling a message deleted meanwhile writes nothing back', async () => {
      // Prepare
      const { store, tableName } = await aStore();

      // Act
      await store.settleMessages('user-ada', [
        { messageKey: 'gone', expiresAt: new Date('2026-01-01T00:00:00.000Z') },
      ]);
      const item = await running.client.send(
        new GetCommand({ TableName: tableName, Key: keys.message('user-ada', 'gone') }),
      );

      // Assess
      expect(item.Item).toBeUndefined();
    });

    test('gives back the checkpoint written, an attribution date as a Date, each paused contact whole', async () => {
      // Prepare
      const { store } = await aStore();
      const [kept] = (await (async () => {
        await store.saveLoggedMessage(
          aLoggedMessage({
            messageId: 'quoted@mail.example.com',
            attribution: {
              name: 'Bob',
              address: 'bob@example.com',
              date: new Date('2025-03-02T18:04:00.000Z'),
              line: 'On Sun, Bob wrote:',
            },
          }),
        );
        return store.listThreadMessages('user-ada');
      })()) as [ThreadMessage];
      const checkpoint = aCheckpoint('2025-03-03T12:00:00.000Z', [kept]);
      const quiet = { address: 'dee@example.com', name: 'Dee', ...nobody };
      checkpoint.ledger.contacts.push(quiet, {
        ...quiet,
        address: 'bob@example.com',
        touchesOut: 4,
        lastOutAt: '2025-01-02T10:00:00.000Z',
        lastTouch: Date.parse('2025-01-02T10:00:00.000Z'),
        owed: {
          at: '2025-01-02T10:00:00.000Z',
          messageKey: 'k1',
          subject: 'Intro',
          signal: { by: 'tag' },
        },
        settledStarts: [
          Date.parse('2024-03-01T09:30:00.000Z'),
          Date.parse('2024-09-01T17:45:12.000Z'),
        ],
      });

      // Act
      const put = await store.putCheckpoint('user-ada', checkpoint);
      const got = await store.getCheckpoint('user-ada');

      // Assess
      expect(put).toBe(true);
      expect(got).toEqual(checkpoint);
      expect(got?.kept[0]?.attribution?.date).toBeInstanceOf(Date);
      expect(await store.getCheckpoint('user-grace')).toBeNull();
    });

    test('reads a checkpoint of a later layout than it knows as none, and never writes over it', async () => {
      // Prepare: a head written by newer code (before a rollback), naming a layout to come.
      const { store, tableName } = await aStore();
      const later = aCheckpoint('2025-03-03T12:00:00.000Z');
      await store.putCheckpoint('user-ada', later);
      await running.client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.checkpointHead('user-ada'),
          UpdateExpression: 'SET layout = :l',
          ExpressionAttributeValues: { ':l': 99 },
        }),
      );

      // Act
      const unread = await store.getCheckpoint('user-ada');
      const next = aCheckpoint('2025-03-04T12:00:00.000Z');
      const put = await store.putCheckpoint('user-ada', next, {
        cold: [{ ...nobody, address: 'cy@example.com', name: 'Cy' }],
      });
      const head = await running.client.send(
        new GetCommand({ TableName: tableName, Key: keys.checkpointHead('user-ada') }),
      );

      // Assess: newer code folded into it mail that may be gone since; its checkpoint stays.
      expect(unread).toBeNull();
      expect(put).toBe(false);
      expect(head.Item).toMatchObject({ layout: 99, builtAt: later.builtAt });
      expect(await store.getColdContacts('user-ada', 'everyone')).toEqual([]);
    });

    test('reads a checkpoint written gzip’d, with its contacts whole, as before', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      const checkpoint = aCheckpoint('2025-03-03T12:00:00.000Z');
      checkpoint.ledger.contacts.push({
        ...{ address: 'bob@example.com', name: 'Bob', ...nobody },
        touchesIn: 2,
        settledStarts: [Date.parse('2024-03-01T09:30:00.000Z')],
      });
      const generation = '2025-03-03T12:00:00.000Z-0ld0ld00';
      await running.client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.checkpointChunk('user-ada', generation, 0),
            data: gzipSync(JSON.stringify(checkpoint)),
          },
        }),
      );
      await running.client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.checkpointHead('user-ada'),
            builtAt: checkpoint.builtAt,
            generation,
            chunks: 1,
          },
        }),
      );

      // Act
      const got = await store.getCheckpoint('user-ada');

      // Assess
      expect(got).toEqual(checkpoint);
    });

    test('keeps the settled ids by shard, only adds to them, and leaves a shard unwritten when it holds them all', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      const count = async (shard: number) =>
        ((await store.getSettledIds('user-ada', [shard])).get(shard) ?? []).reduce(
          (n, f) => n + f.count,
          0,
        );
      const shardKey = keys.settledIds('user-ada', 7);
      const marked = async () =>
        (await running.client.send(new GetCommand({ TableName: tableName, Key: shardKey }))).Item
          ?.marked;

      // Act
      await store.putCheckpoint('user-ada', aCheckpoint('2025-03-03T12:00:00.000Z'), {
        settle: new Map([[7, ['a@mail.example.com', 'b@mail.example.com']]]),
      });
      const first = await count(7);
      await running.client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: shardKey,
          UpdateExpression: 'SET marked = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      await store.putCheckpoint('user-ada', aCheckpoint('2025-03-04T12:00:00.000Z'), {
        settle: new Map([[7, ['b@mail.example.com']]]),
      });
      const unchanged = await marked();
      // A later checkpoint lost the race: the ids it added stay (a view that hits one reads all).
      await store.putCheckpoint('user-ada', aCheckpoint('2025-03-02T12:00:00.000Z'), {
        settle: new Map([[7, ['c@mail.example.com']]]),
      });

      // Assess
      expect(first).toBe(2);
      expect(unchanged).toBe(true);
      expect(await marked()).toBeUndefined();
      expect(await count(7)).toBe(3);
      expect(await store.getSettledIds('user-ada', [8])).toEqual(new Map([[8, []]]));
      expect(await store.checkpointBuiltAt('user-ada')).toBe('2025-03-04T12:00:00.000Z');
    });

    test('keeps cold contacts apart: by address or everyone, unchanged ones unwritten, forgotten ones gone', async () => {
      // Prepare
      const { store } = await aStore();
      const contact = (address: string, touchesOut: number) => ({
        address,
        name: '',
        touchesOut,
        touchesIn: 1,
        lastOutAt: '2024-01-31T09:00:00.000Z',
        lastInAt: '2024-01-30T09:00:00.000Z',
        favoursGiven: 0,
        favoursReceived: 0,
        openPromises: [],
        openAsks: [],
        owed: null,
        gave: false,
        lastTouch: Date.parse('2024-01-31T09:00:00.000Z'),
        answeredElsewhere: null,
        settledStarts: [Date.parse('2024-01-30T09:00:00.000Z')],
      });
      const first = aCheckpoint('2025-03-03T12:00:00.000Z');
      const second = aCheckpoint('2025-03-04T12:00:00.000Z');
      second.ledger.at = '2025-02-02T00:00:00.000Z';

      // Act
      await store.putCheckpoint('user-ada', first, {
        cold: [contact('bob@example.com', 1), contact('cy@example.com', 2)],
      });
      await store.putCheckpoint('user-ada', second, {
        cold: [contact('bob@example.com', 1), contact('cy@example.com', 3)],
      });
      const named = await store.getColdContacts('user-ada', ['bob@example.com', 'dee@example.com']);
      const everyone = await store.getColdContacts('user-ada', 'everyone');
      await store.forgetColdContact('user-ada', 'bob@example.com');
      const after = await store.getColdContacts('user-ada', 'everyone');

      // Assess
      expect(named).toEqual([
        { contact: contact('bob@example.com', 1), since: '2025-02-01T00:00:00.000Z' },
      ]);
      expect(
        everyone.map((c) => [c.contact.address, c.contact.touchesOut, c.since]).sort(),
      ).toEqual([
        ['bob@example.com', 1, '2025-02-01T00:00:00.000Z'],
        ['cy@example.com', 3, '2025-02-02T00:00:00.000Z'],
      ]);
      expect(after.map((c) => c.contact.address)).toEqual(['cy@example.com']);
    });

    test('moves only forward, and keeps only the chunks of its head and the head it replaced', async () => {
      // Prepare
      const { store, tableName } = await aStore();
      // Incompressible text, so the checkpoint spans chunks.
      const noise = randomBytes(500_000).toString('base64');
      const big = {
        ...aCheckpoint('2025-03-03T12:00:00.000Z'),
        ledger: {
          at: '2025-02-01T00:00:00.000Z',
          contacts: [
            {
              address: 'bob@example.com',
              name: noise,
              touchesOut: 1,
              touchesIn: 0,
              lastOutAt: '2025-01-31T09:00:00.000Z',
              lastInAt: null,
              favoursGiven: 0,
              favoursReceived: 0,
              openPromises: [],
              openAsks: [],
              owed: null,
              gave: false,
              lastTouch: Date.parse('2025-01-31T09:00:00.000Z'),
              answeredElsewhere: null,
              settledStarts: [],
            },
          ],
        },
      };
      const later = aCheckpoint('2025-03-04T12:00:00.000Z');

      // Act
      const first = await store.putCheckpoint('user-ada', big);
      const bigBack = await store.getCheckpoint('user-ada');
      const second = await store.putCheckpoint('user-ada', later);
      const stale = await store.putCheckpoint('user-ada', aCheckpoint('2025-03-03T18:00:00.000Z'));
      const third = await store.putCheckpoint('user-ada', aCheckpoint('2025-03-05T12:00:00.000Z'));
      const chunks = await running.client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
          ExpressionAttributeValues: { ':p': 'USER#user-ada', ':s': 'CHECKPOINT#' },
        }),
      );

      // Assess
      expect([first, second, stale, third]).toEqual([true, true, false, true]);
      expect(bigBack).toEqual(big);
      expect(await store.checkpointBuiltAt('user-ada')).toBe('2025-03-05T12:00:00.000Z');
      // The current chunk, and the one it replaced (a view may still be reading it).
      expect(chunks.Items?.map((i) => (i.SK as string).slice(0, 35))).toEqual([
        'CHECKPOINT#2025-03-04T12:00:00.000Z',
        'CHECKPOINT#2025-03-05T12:00:00.000Z',
      ]);
    });
  });

  describe('tenant isolation', () => {
    test('each user sees only their own contacts and messages, even for the same address and message', async () => {
      // Prepare
      const { store, clock } = await aStore();
      const messageId = 'shared@mail.example.com';
      const adas = aLoggedMessage({
        messageId,
        userId: 'user-ada',
        subject: 'From Ada',
        contacts: [awaiting('bob@example.com', { name: 'Bob' }), aContact('carol@example.com')],
      });
      const graces = aLoggedMessage({
        messageId,
        userId: 'user-grace',
        subject: 'From Grace',
        contacts: [aContact('bob@example.com', { name: 'Robert' })],
      });

      // Act
      const saved = [await store.saveLoggedMessage(adas), await store.saveLoggedMessage(graces)];

      // Assess
      expect(saved.map((s) => s.status)).toEqual(['saved', 'saved']);
      const contactsOf = async (userId: string) =>
        (await ledgerOf(store, userId, clock.now())).map((c) => [c.address, c.name, c.touchesOut]);
      expect(await contactsOf('user-ada')).toEqual([
        ['bob@example.com', 'Bob', 1],
        ['carol@example.com', 'Carol', 1],
      ]);
      expect(await contactsOf('user-grace')).toEqual([['bob@example.com', 'Robert', 1]]);
      expect(await store.listMessages('user-ada')).toEqual([adas]);
      expect(await store.listMessages('user-grace')).toEqual([graces]);
    });
  });
}

const runnable = storeBackends.filter((b) => b.unavailable === null);
const missing = storeBackends.filter((b) => b.unavailable !== null);

describe.each(runnable)('store contract on $name', storeContract);
describe.skip.each(missing)('store contract on $name (skipped: $unavailable)', storeContract);
