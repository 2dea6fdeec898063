import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyDigestOf, digestSlice } from '#adapters/mail/parse-mail.ts';

const wholeDigest = (body: string) =>
  createHash('sha256').update(body).digest('base64url').slice(0, 22);

describe('the body digest, hashed a slice at a time', () => {
  const emoji = '\u{1F600}'; // a surrogate pair
  const loneHigh = '\uD83D';
  const loneLow = '\uDE00';
  const around = ['', 'x', emoji, `${emoji}${emoji}`, loneHigh, loneLow, `${loneHigh}x`, 'é'];

  it.each(
    [-3, -2, -1, 0, 1, 2].flatMap((shift) => around.map((inserted) => ({ shift, inserted }))),
  )(
    'is the digest of the whole body with $inserted at $shift from a slice end',
    ({ shift, inserted }) => {
      const body = `${'a'.repeat(digestSlice + shift)}${inserted}${'b'.repeat(digestSlice)}${inserted}`;
      expect(bodyDigestOf(body)).toBe(wholeDigest(body));
    },
  );

  it('is the digest of the whole body for a short body, an empty one and one of many slices', () => {
    for (const body of ['', 'hello', `${emoji}`.repeat(3 * digestSlice + 1)])
      expect(bodyDigestOf(body)).toBe(wholeDigest(body));
  });
});
