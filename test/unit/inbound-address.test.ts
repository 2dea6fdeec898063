import { describe, expect, it } from 'vitest';
import {
  type InboundAddress,
  primaryInboundAddress,
  readInboundAddress,
} from '#domain/inbound-address.ts';
import { mailDomain } from '#test/builders/envelope.ts';
import { someTags } from '#test/builders/tags.ts';

const at = (local: string) => `${local}@${mailDomain}`;

describe('readInboundAddress', () => {
  it.each<[string, InboundAddress]>([
    [at('log'), { kind: 'log', address: at('log'), tags: someTags() }],
    [
      at('log+ask+5d'),
      {
        kind: 'log',
        address: at('log+ask+5d'),
        tags: someTags({ kinds: ['ask'], window: { kind: 'days', days: 5 } }),
      },
    ],
    [at('log+'), { kind: 'log', address: at('log+'), tags: someTags() }],
    [
      at('log+soon'),
      { kind: 'log', address: at('log+soon'), tags: someTags({ unknown: ['soon'] }) },
    ],
    [at('reply+abc234'), { kind: 'reply', address: at('reply+abc234'), token: 'abc234' }],
    [at('start'), { kind: 'start', address: at('start') }],
    [at('reply'), { kind: 'unknown', address: at('reply') }],
    [at('reply+'), { kind: 'unknown', address: at('reply+') }],
    [at('reply+abc+def'), { kind: 'unknown', address: at('reply+abc+def') }],
    [at('start+me'), { kind: 'unknown', address: at('start+me') }],
    [at('hello'), { kind: 'unknown', address: at('hello') }],
    [at('logs'), { kind: 'unknown', address: at('logs') }],
    ['log@example.org', { kind: 'elsewhere', address: 'log@example.org' }],
    [`log@sub.${mailDomain}`, { kind: 'elsewhere', address: `log@sub.${mailDomain}` }],
    ['not-an-address', { kind: 'elsewhere', address: 'not-an-address' }],
  ])('reads %s', (recipient, expected) => {
    // Act
    const read = readInboundAddress(recipient, mailDomain);

    // Assess
    expect(read).toEqual(expected);
  });

  it('reads the local part and the domain whatever their case', () => {
    // Act
    const read = readInboundAddress(' LOG+Ask+THANKS@In.GiveFirst.TEST ', 'IN.givefirst.test');

    // Assess
    expect(read).toEqual({
      kind: 'log',
      address: at('log+ask+thanks'),
      tags: someTags({ kinds: ['ask', 'thanks'] }),
    });
  });

  it('keeps a reply token lower-cased, as base32 tokens are case-insensitive', () => {
    // Act
    const read = readInboundAddress(at('Reply+ABC234XYZ'), mailDomain);

    // Assess
    expect(read).toEqual({ kind: 'reply', address: at('reply+abc234xyz'), token: 'abc234xyz' });
  });
});

describe('primaryInboundAddress', () => {
  it.each<[string, string[], InboundAddress['kind']]>([
    ['log over reply', [at('reply+tok'), at('log')], 'log'],
    ['log over start', [at('start'), at('log')], 'log'],
    ['log over unknown', [at('hello'), at('log')], 'log'],
    ['reply over start', [at('start'), at('reply+tok')], 'reply'],
    ['reply over unknown', [at('hello'), at('reply+tok')], 'reply'],
    ['start over unknown', [at('hello'), at('start')], 'start'],
    ['unknown over elsewhere', ['ann@friends.test', at('hello')], 'unknown'],
    ['elsewhere when nothing is ours', ['ann@friends.test'], 'elsewhere'],
  ])('prefers %s', (_, recipients, kind) => {
    // Act
    const primary = primaryInboundAddress(recipients, mailDomain);

    // Assess
    expect(primary?.kind).toBe(kind);
  });

  it('is null without recipients', () => {
    // Act
    const primary = primaryInboundAddress([], mailDomain);

    // Assess
    expect(primary).toBeNull();
  });

  it.each([[[at('log'), at('log+ask')]], [[at('log+ask'), at('log')]]])(
    'prefers a tagged log address to a bare one, in any order (%j)',
    (recipients) => {
      // Act
      const primary = primaryInboundAddress(recipients, mailDomain);

      // Assess
      expect(primary).toEqual({
        kind: 'log',
        address: at('log+ask'),
        tags: someTags({ kinds: ['ask'] }),
      });
    },
  );
});
