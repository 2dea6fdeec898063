import { describe, expect, it } from 'vitest';
import { base32, normaliseMessageId, shortKey } from '#domain/ids.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('base32', () => {
  // RFC 4648 section 10, lower-cased and without padding.
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes %j as %j', (text, encoded) => {
    // Act
    const out = base32(bytes(text));

    // Assess
    expect(out).toBe(encoded);
  });

  it('encodes every bit of long input', () => {
    // Prepare: 40 bytes of 0xff are 64 characters of 31
    const input = new Uint8Array(40).fill(0xff);

    // Act
    const out = base32(input);

    // Assess
    expect(out).toBe('7'.repeat(64));
  });
});

describe('shortKey', () => {
  it('is 20 lower-case base32 characters', () => {
    // Act
    const key = shortKey('first.1@mail.example.org');

    // Assess
    expect(key).toMatch(/^[a-z2-7]{20}$/);
  });

  it('is stable for the same parts', () => {
    // Act
    const keys = [shortKey('user', 'me@example.org'), shortKey('user', 'me@example.org')];

    // Assess
    expect(keys[0]).toBe(keys[1]);
  });

  it.each([
    [['a'], ['b']],
    [
      ['ab', 'c'],
      ['a', 'bc'],
    ],
    [['a', ''], ['a']],
  ])('differs for different parts (%j, %j)', (left, right) => {
    // Act
    const keys = [shortKey(...left), shortKey(...right)];

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });
});

describe('normaliseMessageId', () => {
  it.each([
    ['<Abc.123@Mail.Example.ORG>', 'Abc.123@mail.example.org'],
    ['Abc.123@Mail.Example.ORG', 'Abc.123@mail.example.org'],
    ['  <CAF=x+Y@mail.gmail.com>  ', 'CAF=x+Y@mail.gmail.com'],
    ['<"quoted@local"@Host.Example>', '"quoted@local"@host.example'],
    ['<NoDomainPart>', 'NoDomainPart'],
  ])('reads %j as %j', (id, normalised) => {
    // Act
    const out = normaliseMessageId(id);

    // Assess
    expect(out).toBe(normalised);
  });
});
