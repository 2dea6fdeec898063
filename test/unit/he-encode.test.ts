import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode } from '#adapters/mail/he-encode.ts';

/** The package itself (mailparser's dependency, without type declarations). */
const he = createRequire(import.meta.url)('he') as { encode(text: string): string };

describe('he-encode: he.encode with its default options, as mailparser calls it', () => {
  it.each([
    ['plain ASCII', 'Ann Lee <ann@friends.test>'],
    ['markup and quotes', `<b>"Tom & Jerry's"</b> \`x\``],
    ['Latin-1 and beyond', 'Zoë Müller, Ærø, 日本語, \u00a0\u0081\u009d'],
    ['astral symbols and lone surrogates', '😀 \uD83D x \uDE00 y'],
    ['control characters', '\u0001\t\n\u000b\f\r\u001f\u007f'],
  ])('%s', (_, text) => {
    expect(encode(text)).toBe(he.encode(text));
  });

  it('gives what he gives for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(encode(text)).toBe(he.encode(text));
      }),
      { numRuns: 2000 },
    );
  });
});
