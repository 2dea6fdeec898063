import { domainToASCII } from 'node:url';

/**
 * One spelling per address: trimmed, lower-cased, and an internationalised domain in its ASCII
 * (punycode) form, so `me@bücher.example` and `me@xn--bcher-kva.example` are the same person.
 * A UTF-8 local part is kept as written (lower-cased).
 */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  const domain = trimmed.slice(at + 1);
  if (!/[^\p{ASCII}]/u.test(domain)) return trimmed;
  const ascii = domainToASCII(domain);
  return ascii ? `${trimmed.slice(0, at)}@${ascii}` : trimmed;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

const encodedWord = /=\?[^?\s]+\?[bqBQ]\?[^?\s]*\?=/g;

/**
 * Whether an address is written in the raw header itself, outside any RFC 2047 encoded-word.
 * An encoded-word is only ever display text: `From: =?utf-8?b?bWVAZXhhbXBsZS5jb20=?=` decodes to
 * something that looks like an address, but it never counts as one.
 */
export function isLiteralAddress(address: string, rawHeader: string): boolean {
  const plain = rawHeader.replace(encodedWord, ' ').toLowerCase();
  const wanted = address.toLowerCase();
  if (plain.includes(wanted)) return true;
  // An internationalised domain may be written in the header in Unicode or in punycode, and the
  // parser may hand it back in the other form: compare the normalised (ASCII) spellings.
  const at = wanted.lastIndexOf('@');
  return (
    at > 0 &&
    plain.includes(wanted.slice(0, at + 1)) &&
    normaliseAddressesIn(plain).has(normaliseAddress(wanted))
  );
}

function normaliseAddressesIn(text: string): Set<string> {
  const found = text.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g) ?? [];
  return new Set(found.map(normaliseAddress));
}

/**
 * RFC 5321 (4.5.3.1.3): no address is longer. A longer one is no address at all, and read as none,
 * so a sender cannot make a stored key or record grow with it.
 */
export const longestAddress = 254;
