import { createHash } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case RFC 4648 base32 without padding: safe in keys and in email local parts. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** A short, stable key for a string: 20 base32 characters (100 bits) of its SHA-256. */
export function shortKey(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return base32(hash.digest()).slice(0, 20);
}

/** A user's id: it follows their primary address, so a retried registration is the same user. */
export const userIdFor = (primaryAddress: string) => shortKey('user', primaryAddress);

/** Real Message-IDs are well under this (RFC 5322 allows a whole 998-character line). */
export const messageIdLimit = 250;

/**
 * Message-IDs compare without their angle brackets and case-insensitively in the domain part. One
 * longer than `messageIdLimit` (a sender can make it fill an item) stands for a stable hash of it,
 * so the message and every reply that names it still meet.
 */
export function normaliseMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  const normal = at < 0 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
  return normal.length <= messageIdLimit ? normal : `${shortKey(normal)}@long-id.invalid`;
}
