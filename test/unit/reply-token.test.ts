import { describe, expect, it } from 'vitest';
import { ConfigError } from '#domain/errors.ts';
import { shortKey } from '#domain/ids.ts';
import { makeTokens, type TokenClaims, type TokenKey } from '#domain/reply-token.ts';

const now = new Date('2026-03-02T08:00:00Z');
const retiredKey: TokenKey = { id: 1, secret: Buffer.alloc(32, 'retired key ') };
const currentKey: TokenKey = { id: 2, secret: Buffer.alloc(32, 'current key ') };
const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const ann = shortKey('user', 'ann@example.org');
const bob = shortKey('user', 'bob@example.org');

function aTokens(keys: TokenKey[] = [currentKey, retiredKey], signWith = currentKey.id) {
  return makeTokens({ keys, signWith });
}

function someClaims(overrides: Partial<TokenClaims> = {}): TokenClaims {
  return {
    kind: 'digest',
    userId: ann,
    ref: '2026-03-02',
    expiresAt: new Date('2026-04-01T08:00:00Z'),
    ...overrides,
  };
}

/** The bits a base32 text spells, as a string of 0 and 1, to look for one inside another. */
function bitsOf(text: string): string {
  return [...text].map((c) => base32Alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
}

/** The same token with one character changed to the next one of the alphabet. */
function flip(token: string, at: number): string {
  const next = base32Alphabet[(base32Alphabet.indexOf(token.charAt(at)) + 1) % 32];
  return `${token.slice(0, at)}${next}${token.slice(at + 1)}`;
}

describe('reply tokens', () => {
  it.each(['digest', 'confirmation', 'onboarding', 'unsubscribe'] as const)(
    'reads back the claims of a %s token',
    (kind) => {
      // Prepare
      const tokens = aTokens();
      const claims = someClaims({ kind });

      // Act
      const reading = tokens.read(tokens.issue(claims), now);

      // Assess
      expect(reading).toEqual({ ok: true, claims });
    },
  );

  it('keeps the expiry to the second', () => {
    // Prepare
    const tokens = aTokens();
    const claims = someClaims({ expiresAt: new Date('2026-04-01T08:00:00.999Z') });

    // Act
    const reading = tokens.read(tokens.issue(claims), now);

    // Assess
    expect(reading).toEqual({
      ok: true,
      claims: { ...claims, expiresAt: new Date('2026-04-01T08:00:00Z') },
    });
  });

  it.each([
    ['upper case', (token: string) => token.toUpperCase()],
    ['surrounding whitespace', (token: string) => ` \t${token}\r\n`],
    ['mixed case', (token: string) => token.replace(/[a-m]/g, (c) => c.toUpperCase())],
  ])('reads a token written in %s', (_, rewrite) => {
    // Prepare
    const tokens = aTokens();
    const claims = someClaims();

    // Act
    const reading = tokens.read(rewrite(tokens.issue(claims)), now);

    // Assess
    expect(reading).toEqual({ ok: true, claims });
  });

  // Characters 0-2 spell the version and key id; the claims and the tag follow.
  it.each([3, 10, 20, 30, 40, 50])('finds a token forged when character %i is changed', (at) => {
    // Prepare
    const tokens = aTokens();
    const token = tokens.issue(someClaims());

    // Act
    const reading = tokens.read(flip(token, at), now);

    // Assess
    expect(reading).toEqual({ ok: false, why: 'forged' });
  });

  it('never reads a token with any one character changed', () => {
    // Prepare
    const tokens = aTokens();
    const token = tokens.issue(someClaims());

    // Act
    const read = [...token].flatMap((_, at) =>
      Array.from({ length: 31 }, (_, step) => {
        let changed = token;
        for (let i = 0; i <= step; i++) changed = flip(changed, at);
        return tokens.read(changed, now);
      }),
    );

    // Assess
    expect(read).toHaveLength(token.length * 31);
    expect(read.filter((reading) => reading.ok)).toEqual([]);
  });

  it('reads a token signed with a retired key that is still listed', () => {
    // Prepare
    const claims = someClaims();
    const token = aTokens([retiredKey], retiredKey.id).issue(claims);

    // Act
    const reading = aTokens([currentKey, retiredKey], currentKey.id).read(token, now);

    // Assess
    expect(reading).toEqual({ ok: true, claims });
  });

  it('refuses a token whose key is no longer listed', () => {
    // Prepare
    const token = aTokens([retiredKey], retiredKey.id).issue(someClaims());

    // Act
    const reading = aTokens([currentKey]).read(token, now);

    // Assess
    expect(reading).toEqual({ ok: false, why: 'unknown-key' });
  });

  it('finds a token forged when its key id is listed with another secret', () => {
    // Prepare
    const impostor: TokenKey = { id: currentKey.id, secret: Buffer.alloc(32, 'impostor') };
    const token = aTokens([impostor], impostor.id).issue(someClaims());

    // Act
    const reading = aTokens().read(token, now);

    // Assess
    expect(reading).toEqual({ ok: false, why: 'forged' });
  });

  it.each([
    ['one second before expiry', true, -1000],
    ['at expiry', false, 0],
    ['one second after expiry', false, 1000],
  ])('reads a token %s: %s', (_, readable, offsetMs) => {
    // Prepare
    const tokens = aTokens();
    const claims = someClaims();
    const token = tokens.issue(claims);

    // Act
    const reading = tokens.read(token, new Date(claims.expiresAt.getTime() + offsetMs));

    // Assess
    expect(reading).toEqual(readable ? { ok: true, claims } : { ok: false, why: 'expired' });
  });

  it.each([
    ['users', { userId: bob }],
    ['kinds', { kind: 'confirmation' as const }],
    ['refs', { ref: '2026-03-03' }],
    ['expiries', { expiresAt: new Date('2026-04-01T08:00:01Z') }],
  ])('gives different %s different tokens', (_, change) => {
    // Prepare
    const tokens = aTokens();

    // Act
    const pair = [tokens.issue(someClaims()), tokens.issue(someClaims(change))];

    // Assess
    expect(pair[0]).not.toBe(pair[1]);
  });

  it('never shows the user id in clear, at any bit offset', () => {
    // Prepare
    const tokens = aTokens();
    const users = Array.from({ length: 200 }, (_, i) => shortKey('user', `${i}@example.org`));

    // Act
    const leaks = users.filter((userId) => {
      const token = tokens.issue(someClaims({ userId }));
      return token.includes(userId) || bitsOf(token).includes(bitsOf(userId));
    });

    // Assess
    expect(leaks).toEqual([]);
  });

  it.each([
    someClaims(),
    someClaims({ kind: 'confirmation', userId: '7'.repeat(20) }),
    someClaims({
      kind: 'unsubscribe',
      ref: '2179-06-06',
      expiresAt: new Date('2136-02-07T06:28:15Z'),
    }),
  ])('fits reply+TOKEN in the 64 octets of a local part (%#)', (claims) => {
    // Act
    const token = aTokens().issue(claims);

    // Assess
    expect(token).toMatch(/^[a-z2-7]{52}$/);
    expect(`reply+${token}`.length).toBeLessThanOrEqual(64);
  });

  const issued = aTokens().issue(someClaims());
  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['not base32', '0189'.repeat(13)],
    ['an email address', 'reply+abc@example.org'],
    ['truncated', issued.slice(0, -1)],
    ['too long', `${issued}a`],
    ['broken by a space', `${issued.slice(0, 26)} ${issued.slice(26)}`],
    ['prefixed', `reply+${issued}`],
  ])('finds a token malformed when it is %s', (_, token) => {
    // Act
    const reading = aTokens().read(token, now);

    // Assess
    expect(reading).toEqual({ ok: false, why: 'malformed' });
  });

  it.each([
    ['a user id that is an address', { userId: 'ann@example.org' }],
    ['a user id too short', { userId: ann.slice(1) }],
    ['a ref that is no date', { ref: '2026-02-30' }],
    ['a ref in another form', { ref: '2 March 2026' }],
    ['an expiry before 2000', { expiresAt: new Date('1999-12-31T23:59:59Z') }],
  ])('refuses to issue a token for %s', (_, change) => {
    // Prepare
    const tokens = aTokens();

    // Act
    const issue = () => tokens.issue(someClaims(change));

    // Assess
    expect(issue).toThrow(RangeError);
  });

  it.each([
    ['no key signs', [retiredKey], currentKey.id],
    ['a key id is listed twice', [currentKey, { ...retiredKey, id: currentKey.id }], 2],
    ['a key id is too big', [{ ...currentKey, id: 256 }], 256],
    ['a secret is short', [{ ...currentKey, secret: Buffer.alloc(16, 1) }], 2],
  ])('refuses keys when %s', (_, keys, signWith) => {
    // Act
    const make = () => makeTokens({ keys, signWith });

    // Assess
    expect(make).toThrow(ConfigError);
  });
});
