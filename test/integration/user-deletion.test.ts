import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import type { User } from '#domain/model.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { asked, sent } from '../builders/logged-message.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

/**
 * Deleting a user on dynalite: a Message-ID both users logged keeps its other owner; one only the
 * deleted user logged goes; the other user's items are untouched.
 */
describe('deleting a user from the table', () => {
  let table: TestTable;
  let store: DynamoStore;
  let anna: User;
  let ben: User;
  const clock = () => new Date('2026-03-02T12:00:00Z');
  /** An item as text, its string sets (Message-ID owners) included. */
  const text = (item: Record<string, unknown>) =>
    JSON.stringify(item, (_, v) => (v instanceof Set ? [...v] : v));
  const names = (userId: string) => (item: Record<string, unknown>) => text(item).includes(userId);
  const scan = async () =>
    (await table.client.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];

  beforeAll(async () => {
    table = await startTestTable();
    store = new DynamoStore({ client: table.client, tableName: table.tableName, clock });
    const register = makeRegisterUser({ users: store, digests: store, clock });
    const add = async (email: string, aliases: string[] = []) => {
      const added = await register({ email, aliases });
      if (!added.ok) throw new Error(added.problems.join('; '));
      return added.user;
    };
    anna = await add('anna@example.de', ['anna@work.example']);
    ben = await add('ben@example.com');
    const shared = 'shared@mail.example.com';
    await store.saveLoggedMessage(
      sent('2026-03-02T09:00:00Z', [asked('carl@c.de')], {
        userId: anna.userId,
        messageId: shared,
      }),
    );
    await store.saveLoggedMessage(
      sent('2026-03-02T09:00:00Z', [asked('carl@c.de')], { userId: ben.userId, messageId: shared }),
    );
    await store.saveLoggedMessage(
      sent('2026-03-02T10:00:00Z', [asked('dee@d.com')], {
        userId: anna.userId,
        messageId: 'anna-only@mail.example.com',
      }),
    );
    await store.pauseDigests(anna.userId, clock(), 'hard-bounce');
    await store.countSoftBounce(ben.userId, 'n1');
  });
  afterAll(async () => {
    await table?.close();
  });

  it('removes every item naming the user and keeps what another user shares', async () => {
    const before = await scan();
    const bensOwn = (items: Record<string, unknown>[]) =>
      items.filter(
        (i) => String(i.PK) === `USER#${ben.userId}` || String(i.PK).startsWith('ADDR#ben'),
      );
    expect(before.filter(names(anna.userId)).length).toBeGreaterThan(5);

    const deleted = await store.deleteUser(anna);

    expect(deleted).toMatchObject({ messages: 2, addresses: 2, ownerRows: 1 });
    const left = await scan();
    expect(left.filter(names(anna.userId))).toEqual([]);
    expect(left.filter((i) => String(i.PK).startsWith('ADDR#anna'))).toEqual([]);
    expect(bensOwn(left)).toEqual(bensOwn(before));
    expect(await store.ownersOfMessages(['shared@mail.example.com'])).toEqual([ben.userId]);
    expect(await store.findUserByAddress('anna@work.example')).toBeNull();
  });

  it('finishes on a second run and removes nothing more', async () => {
    expect(await store.deleteUser(anna)).toEqual({
      messages: 0,
      digests: 0,
      other: 0,
      addresses: 0,
      ownerRows: 0,
      profile: false,
      receipts: 0,
      rawMail: 0,
    });
    expect(await store.listUsers()).toEqual([
      expect.objectContaining({ email: 'ben@example.com' }),
    ]);
  });
});
