import { describe, expect, it } from 'vitest';
import { shortKey } from '#domain/ids.ts';
import { InMemoryUserStore } from '#test/builders/in-memory-user-store.ts';
import { aUser } from '#test/builders/user.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';

const now = new Date('2026-03-02T08:00:00Z');

function aRegistration(users = new InMemoryUserStore()) {
  return { users, registerUser: makeRegisterUser({ users, clock: () => now }) };
}

describe('registerUser', () => {
  it('registers a user with defaults and stores them', async () => {
    // Prepare
    const { users, registerUser } = aRegistration();

    // Act
    const result = await registerUser({ email: 'me@example.org' });

    // Assess
    const expected = {
      userId: shortKey('user', 'me@example.org'),
      email: 'me@example.org',
      aliases: [],
      timeZone: 'UTC',
      digestAt: '08:00',
      neverLog: [],
      createdAt: '2026-03-02T08:00:00.000Z',
    };
    expect(result).toEqual({ ok: true, user: expected });
    expect(await users.findUserByAddress('me@example.org')).toEqual(expected);
  });

  it('keeps the zone and hour it is given', async () => {
    // Prepare
    const { registerUser } = aRegistration();

    // Act
    const result = await registerUser({
      email: 'me@example.org',
      timeZone: 'Asia/Kolkata',
      digestAt: '7:30',
    });

    // Assess
    expect(result.ok && [result.user.timeZone, result.user.digestAt]).toEqual([
      'Asia/Kolkata',
      '07:30',
    ]);
  });

  it('spells a zone typed in the wrong case as the IANA database does', async () => {
    // Prepare
    const { registerUser } = aRegistration();

    // Act
    const result = await registerUser({ email: 'me@example.org', timeZone: 'europe/berlin' });

    // Assess
    expect(result.ok && result.user.timeZone).toBe('Europe/Berlin');
  });

  it('lower-cases the address and the aliases, and keeps each alias once', async () => {
    // Prepare
    const { users, registerUser } = aRegistration();

    // Act
    const result = await registerUser({
      email: ' Me@Example.ORG ',
      aliases: ['Me@Work.example', 'me@work.example', 'ME@example.org', 'me@home.example'],
    });

    // Assess
    expect(result.ok && [result.user.email, result.user.aliases]).toEqual([
      'me@example.org',
      ['me@work.example', 'me@home.example'],
    ]);
    expect((await users.findUserByAddress('me@home.example'))?.email).toBe('me@example.org');
  });

  it('gives the same address the same user id, whatever its case', async () => {
    // Prepare
    const first = aRegistration();
    const second = aRegistration();

    // Act
    const results = [
      await first.registerUser({ email: 'me@example.org' }),
      await second.registerUser({ email: 'ME@example.org', timeZone: 'Europe/Berlin' }),
    ];

    // Assess
    const ids = results.map((r) => (r.ok ? r.user.userId : null));
    expect(ids[0]).toBe(shortKey('user', 'me@example.org'));
    expect(ids[1]).toBe(ids[0]);
  });

  it('registers the same user again without a conflict', async () => {
    // Prepare
    const { registerUser } = aRegistration();
    await registerUser({ email: 'me@example.org', aliases: ['me@work.example'] });

    // Act
    const again = await registerUser({ email: 'me@example.org', aliases: ['me@work.example'] });

    // Assess
    expect(again.ok).toBe(true);
  });

  it.each(['Mars/Olympus', 'CET+1', 'Europe/Berln', '+02:00'])(
    'refuses the time zone %j, naming a valid one',
    async (timeZone) => {
      // Prepare
      const { users, registerUser } = aRegistration();

      // Act
      const result = await registerUser({ email: 'me@example.org', timeZone });

      // Assess
      expect(result).toEqual({
        ok: false,
        problems: [`"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin`],
      });
      expect(await users.listUsers()).toEqual([]);
    },
  );

  it.each(['24:00', '8', '08:60', '0800', '8:5', 'noon', ''])(
    'refuses the hour %j',
    async (digestAt) => {
      // Prepare
      const { registerUser } = aRegistration();

      // Act
      const result = await registerUser({ email: 'me@example.org', digestAt });

      // Assess
      expect(result).toEqual({
        ok: false,
        problems: [`"${digestAt}" is not a time of day; use HH:MM such as 07:30`],
      });
    },
  );

  it.each([
    'me',
    'me@',
    '@example.org',
    'me@example',
    'me @example.org',
    'Me <me@example.org>',
    'a,b@example.org',
  ])('refuses the address %j', async (email) => {
    // Prepare
    const { registerUser } = aRegistration();

    // Act
    const result = await registerUser({ email });

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      `"${email.trim().toLowerCase()}" is not an email address`,
    ]);
  });

  it('names every problem at once, a bad alias included', async () => {
    // Prepare
    const { registerUser } = aRegistration();

    // Act
    const result = await registerUser({
      email: 'me@example.org',
      aliases: ['not-an-address'],
      timeZone: 'Nowhere/Land',
      digestAt: '25:00',
    });

    // Assess
    expect(!result.ok && result.problems).toEqual([
      '"not-an-address" is not an email address',
      '"Nowhere/Land" is not a time zone; use an IANA name such as Europe/Berlin',
      '"25:00" is not a time of day; use HH:MM such as 07:30',
    ]);
  });

  it("refuses an address that belongs to another user, and leaves that user's address alone", async () => {
    // Prepare
    const ann = aUser({
      userId: 'user-ann',
      email: 'ann@friends.test',
      aliases: ['shared@friends.test'],
    });
    const { users, registerUser } = aRegistration(new InMemoryUserStore([ann]));

    // Act
    const result = await registerUser({
      email: 'me@example.org',
      aliases: ['Shared@Friends.test'],
    });

    // Assess
    expect(result).toEqual({
      ok: false,
      problems: ['shared@friends.test already belongs to a registered user'],
    });
    expect((await users.findUserByAddress('shared@friends.test'))?.userId).toBe('user-ann');
    expect(await users.findUserByAddress('me@example.org')).toBeNull();
  });
});
