import { describe, expect, it } from 'vitest';
import { fromAmbiguity } from '#domain/mailbox.ts';

const one = (address: string, name = '') => [{ address, name }];

describe('fromAmbiguity', () => {
  it.each([
    ['a bare address', 'me@example.com', one('me@example.com')],
    ['a plain name', 'Me Myself <me@example.com>', one('me@example.com', 'Me Myself')],
    ['a quoted name with a comma', '"Myself, Me" <me@example.com>', one('me@example.com')],
    [
      'an encoded-word name',
      '=?utf-8?q?J=C3=BCrgen?= <j@example.de>',
      one('j@example.de', 'Jürgen'),
    ],
    ['a UTF-8 name with an emoji', 'Jürgen 🎉 <j@example.de>', one('j@example.de', 'Jürgen 🎉')],
    ['an internationalised domain', 'me@bücher.example', one('me@xn--bcher-kva.example')],
    ['an address in capitals', 'Me <ME@Example.COM>', one('me@example.com')],
    [
      'the address written as its own name',
      '"me@example.com" <me@example.com>',
      one('me@example.com', 'me@example.com'),
    ],
  ])('reads %s as one plain mailbox', (_, raw, parsed) => {
    expect(fromAmbiguity([raw], parsed)).toBeNull();
  });

  it.each([
    ['group syntax', 'g:<me@example.com>; <evil@evil.test>', one('me@example.com')],
    ['two mailboxes', 'me@example.com, evil@evil.test', one('me@example.com')],
    ['an empty <>', '"x" <>, me@example.com', one('me@example.com')],
    ['a comment', 'me@example.com (evil@evil.test)', one('me@example.com')],
    ['an escape', '"Me \\"x\\"" <me@example.com>', one('me@example.com')],
    ['an unclosed bracket', 'Me <me@example.com', one('me@example.com')],
    ['a route', '<@evil.test:me@example.com>', one('me@example.com')],
    ['a domain literal', 'me@[192.0.2.1]', one('me@[192.0.2.1]')],
    ['a trailing dot', 'me@example.com.', one('me@example.com.')],
    [
      'a name decoding to an address',
      '=?utf-8?q?evil=40evil.test?= <me@example.com>',
      one('me@example.com', 'evil@evil.test'),
    ],
    [
      'a quoted name that is another address',
      '"me@example.com" <evil@evil.test>',
      one('evil@evil.test', 'me@example.com'),
    ],
    ['a parser reading another address', 'Me <me@example.com>', one('evil@evil.test')],
    [
      'a parser reading two',
      'Me <me@example.com>',
      [...one('me@example.com'), ...one('evil@evil.test')],
    ],
  ])('refuses %s', (_, raw, parsed) => {
    expect(fromAmbiguity([raw], parsed)).toEqual(expect.any(String));
  });

  it('refuses two From headers', () => {
    expect(fromAmbiguity(['me@example.com', 'evil@evil.test'], one('me@example.com'))).toMatch(
      /2 From headers/,
    );
  });
});
