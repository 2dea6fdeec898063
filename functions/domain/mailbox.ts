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

/** What mailparser made of one From entry: a mailbox, or a group of them. */
export interface ParsedFromEntry {
  address?: string;
  name?: string;
  group?: ParsedFromEntry[];
}

// RFC 5322 atext, plus UTF-8 (RFC 6532). No quoting, no comments, no escapes: what every parser reads alike.
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u{80}-\\u{10FFFF}]";
const dotAtom = `${atext}+(?:\\.${atext}+)*`;
const label =
  '[A-Za-z0-9\\u{80}-\\u{10FFFF}](?:[A-Za-z0-9\\-\\u{80}-\\u{10FFFF}]*[A-Za-z0-9\\u{80}-\\u{10FFFF}])?';
const addrSpec = `${dotAtom}@${label}(?:\\.${label})+`;
// An RFC 2047 encoded-word as a display word: its payload may hold only the characters RFC 2047
// allows in a phrase, so no parser can find a bracket, a comma or an at sign inside it.
const phraseEncodedWord =
  '=\\?[A-Za-z0-9_\\-.*]+\\?(?:[Qq]\\?[A-Za-z0-9!*+\\-/=_]*|[Bb]\\?[A-Za-z0-9+/]*={0,2})\\?=';
// A quoted display name: no backslash escapes, no brackets inside.
const quotedName = '"[^"\\\\<>]*"';
const nameWord = `(?:${phraseEncodedWord}|${quotedName}|(?:${atext}|\\.)+)`;
const simpleMailbox = new RegExp(
  `^(?:(${addrSpec})|(?:${nameWord}(?:[ \\t]+${nameWord})*[ \\t]*)?<(${addrSpec})>)$`,
  'u',
);

/**
 * Why a From header could be read as another address by another parser, or null when it cannot.
 *
 * The address givefirst reads from From must be the very address whose domain the receiving side
 * authenticated. mailauth, SES and mailparser each have their own address parser, and they part
 * ways on group syntax, an empty `<>`, two mailboxes, comments, escapes, encoded-words that hide
 * brackets and malformed addresses. So only one plain shape is accepted: one From header holding
 * one mailbox, `addr@domain` or `Name <addr@domain>` with a name of plain words, quoted text
 * without escapes or encoded-words; and mailparser must have read exactly that address from it.
 * Anything else is refused as ambiguous, never guessed.
 */
export function fromAmbiguity(rawFromHeaders: string[], parsed: ParsedFromEntry[]): string | null {
  if (rawFromHeaders.length > 1) return `the message has ${rawFromHeaders.length} From headers`;
  const raw = (rawFromHeaders[0] ?? '').replace(/\r?\n[ \t]+/g, ' ').trim();
  if (!raw) return null;
  const match = simpleMailbox.exec(raw);
  if (!match)
    return 'the From header is not one plain mailbox (group, list, comment, escape or malformed address)';
  const written = match[1] ?? match[2] ?? '';
  if (parsed.length !== 1 || parsed[0]?.group)
    return 'the From header reads as more than one mailbox';
  const entry = parsed[0];
  if (!entry?.address || normaliseAddress(entry.address) !== normaliseAddress(written)) {
    return 'the From header reads as another address than the one written';
  }
  // Some clients write the address itself as the name ("me@example.com" <me@example.com>); any
  // other name that reads as an address is one a reader (or another parser) could take for it.
  const name = (entry.name ?? '').trim();
  if (
    /[<>]/.test(name) ||
    (name.includes('@') && normaliseAddress(name) !== normaliseAddress(written))
  )
    return 'the From display name reads as another address';
  return null;
}

/**
 * RFC 5321 (4.5.3.1.3): no address is longer. A longer one is no address at all, and read as none,
 * so a sender cannot make a stored key or record grow with it.
 */
export const longestAddress = 254;
