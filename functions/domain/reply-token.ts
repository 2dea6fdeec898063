import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '#domain/errors.ts';
import { base32 } from '#domain/ids.ts';

/**
 * The token in `reply+TOKEN@D` and in the List-Unsubscribe link: an encrypted, signed
 * reference to a user and the mail it came with. Always 32 bytes, written as 52 characters
 * of lower-case base32, so `reply+TOKEN` takes 58 of the 64 octets a local part allows.
 *
 *   byte  0       version (1)
 *   byte  1       key id (0-255), in clear so the reader knows which key to use
 *   bytes 2-21    the claims, encrypted:
 *                   +0       kind (1 digest, 2 confirmation, 3 onboarding, 4 unsubscribe)
 *                   +1..+4   expiry: seconds since 2000-01-01T00:00Z, big-endian
 *                   +5..+17  user id: the 100 bits of its 20 base32 characters, 4 zero bits
 *                   +18..+19 ref: a date, days since 2000-01-01, big-endian
 *   bytes 22-31   tag: HMAC-SHA256(mac key, bytes 0-1 and the claims in clear), 80 bits
 *
 * The encryption is SIV-like: the keystream is HMAC-SHA256(enc key, bytes 0-1 and the tag),
 * so the same claims always make the same token, and without the key a token can be neither
 * read nor made. The mac and enc keys are derived from each listed secret.
 */

export type TokenKind = 'digest' | 'confirmation' | 'onboarding' | 'unsubscribe';

export interface TokenClaims {
  kind: TokenKind;
  /** 20 lower-case base32 characters, as `shortKey` makes them. */
  userId: string;
  /** A local date, yyyy-mm-dd: the digest's day, or the day the mail was sent. */
  ref: string;
  /** The first instant the token no longer reads. Kept to the second: milliseconds are dropped. */
  expiresAt: Date;
}

/**
 * How long the reply address and links of a digest, an answer or a note work: replies come days
 * later, unsubscribes weeks later.
 */
export const replyAddressDays = 45;

/**
 * The ref of an answer or note that stands for no digest (a token's ref is a date, and no digest
 * is ever dated before givefirst existed): numbers in a reply to it refer to nothing, rather than
 * to whatever digest was sent the day the note went out.
 */
export const noDigestRef = '2000-01-01';

/** Keys rotate: every listed key reads, the one named by `signWith` issues. */
export interface TokenKey {
  id: number;
  secret: Buffer;
}

export type TokenReading =
  | { ok: true; claims: TokenClaims }
  | { ok: false; why: 'malformed' | 'unknown-key' | 'forged' | 'expired' };

export interface ReplyTokens {
  issue(claims: TokenClaims): string;
  read(token: string, now: Date): TokenReading;
}

const version = 1;
const kindCodes: Record<TokenKind, number> = {
  digest: 1,
  confirmation: 2,
  onboarding: 3,
  unsubscribe: 4,
};
const epochMs = Date.UTC(2000, 0, 1);
const dayMs = 86_400_000;
const headerLength = 2;
const claimsLength = 20;
const tagLength = 10;
const tokenChars = Math.ceil(((headerLength + claimsLength + tagLength) * 8) / 5);
const minimumSecretLength = 32;

interface DerivedKey {
  mac: Buffer;
  enc: Buffer;
}

export function makeTokens({
  keys,
  signWith,
}: {
  keys: TokenKey[];
  signWith: number;
}): ReplyTokens {
  const derived = new Map<number, DerivedKey>();
  for (const key of keys) {
    if (!Number.isInteger(key.id) || key.id < 0 || key.id > 255) {
      throw new ConfigError(`reply token key id ${key.id} is not a whole number from 0 to 255`);
    }
    if (derived.has(key.id)) throw new ConfigError(`reply token key ${key.id} is listed twice`);
    if (key.secret.length < minimumSecretLength) {
      throw new ConfigError(
        `reply token key ${key.id} is shorter than ${minimumSecretLength} bytes`,
      );
    }
    derived.set(key.id, {
      mac: createHmac('sha256', key.secret).update('givefirst reply-token mac').digest(),
      enc: createHmac('sha256', key.secret).update('givefirst reply-token enc').digest(),
    });
  }
  const signer = derived.get(signWith);
  if (!signer) throw new ConfigError(`reply token key ${signWith} signs but is not listed`);

  return {
    issue(claims) {
      const header = Buffer.from([version, signWith]);
      const plain = encodeClaims(claims);
      const tag = sign(signer, header, plain);
      return base32(Buffer.concat([header, xor(plain, keystream(signer, header, tag)), tag]));
    },

    read(token, now) {
      const text = token.trim().toLowerCase();
      const bytes = text.length === tokenChars ? base32Decode(text) : null;
      if (!bytes || bytes[0] !== version) return { ok: false, why: 'malformed' };
      const key = derived.get(bytes[1] ?? -1);
      if (!key) return { ok: false, why: 'unknown-key' };

      const header = bytes.subarray(0, headerLength);
      const tag = bytes.subarray(headerLength + claimsLength);
      const sealed = bytes.subarray(headerLength, headerLength + claimsLength);
      const plain = xor(sealed, keystream(key, header, tag));
      if (!timingSafeEqual(sign(key, header, plain), tag)) return { ok: false, why: 'forged' };

      const claims = decodeClaims(plain);
      if (!claims) return { ok: false, why: 'malformed' };
      if (now.getTime() >= claims.expiresAt.getTime()) return { ok: false, why: 'expired' };
      return { ok: true, claims };
    },
  };
}

function sign(key: DerivedKey, header: Buffer, plain: Buffer): Buffer {
  return createHmac('sha256', key.mac).update(header).update(plain).digest().subarray(0, tagLength);
}

function keystream(key: DerivedKey, header: Buffer, tag: Buffer): Buffer {
  return createHmac('sha256', key.enc).update(header).update(tag).digest();
}

function xor(data: Buffer, stream: Buffer): Buffer {
  return Buffer.from(data.map((byte, i) => byte ^ (stream[i] ?? 0)));
}

function encodeClaims({ kind, userId, ref, expiresAt }: TokenClaims): Buffer {
  const seconds = Math.floor((expiresAt.getTime() - epochMs) / 1000);
  if (!(seconds >= 0 && seconds <= 0xffff_ffff)) {
    throw new RangeError(`a reply token cannot expire at ${expiresAt.toISOString()}`);
  }
  if (!/^[a-z2-7]{20}$/.test(userId)) {
    throw new RangeError('a reply token needs a user id of 20 base32 characters');
  }
  const plain = Buffer.alloc(claimsLength);
  plain[0] = kindCodes[kind];
  plain.writeUInt32BE(seconds, 1);
  // One more zero character makes 105 bits: 13 bytes and one zero bit of padding.
  base32Decode(`${userId}a`)?.copy(plain, 5);
  plain.writeUInt16BE(daysSinceEpoch(ref), 18);
  return plain;
}

function decodeClaims(plain: Buffer): TokenClaims | null {
  const kind = (Object.keys(kindCodes) as TokenKind[]).find((k) => kindCodes[k] === plain[0]);
  if (!kind) return null;
  return {
    kind,
    userId: base32(plain.subarray(5, 18)).slice(0, 20),
    ref: new Date(epochMs + plain.readUInt16BE(18) * dayMs).toISOString().slice(0, 10),
    expiresAt: new Date(epochMs + plain.readUInt32BE(1) * 1000),
  };
}

function daysSinceEpoch(ref: string): number {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ref) ?? [];
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const days = (ms - epochMs) / dayMs;
  const isDate = Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === ref;
  if (!isDate || days < 0 || days > 0xffff) {
    throw new RangeError(`a reply token's ref must be a date from 2000-01-01, not ${ref}`);
  }
  return days;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Reads what `base32` writes, and only that: lower-case letters and 2-7, with fewer than
 * five bits left over and all of them zero, so each byte string has exactly one spelling.
 */
function base32Decode(text: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}
