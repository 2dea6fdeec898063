import { domainOf, normaliseAddress } from './mailbox.ts';
import type { Tags } from './model.ts';
import { parseTags } from './tags.ts';

/** What an address at the inbound domain asks givefirst to do. */
export type InboundAddress =
  | { kind: 'log'; address: string; tags: Tags }
  | { kind: 'reply'; address: string; token: string }
  | { kind: 'start'; address: string }
  | { kind: 'unknown'; address: string }
  | { kind: 'elsewhere'; address: string };

export { domainOf, normaliseAddress } from './mailbox.ts';

/** Reads one envelope recipient against the inbound domain. */
export function readInboundAddress(recipient: string, mailDomain: string): InboundAddress {
  const address = normaliseAddress(recipient);
  if (domainOf(address) !== mailDomain.toLowerCase()) return { kind: 'elsewhere', address };
  const local = address.slice(0, address.lastIndexOf('@'));
  const [base = '', ...rest] = local.split('+');
  if (base === 'log') return { kind: 'log', address, tags: parseTags(rest) };
  if (base === 'reply' && rest.length === 1 && rest[0]) {
    return { kind: 'reply', address, token: rest[0] };
  }
  if (base === 'start' && rest.length === 0) return { kind: 'start', address };
  return { kind: 'unknown', address };
}

const precedence: Record<InboundAddress['kind'], number> = {
  log: 0,
  reply: 1,
  start: 2,
  unknown: 3,
  elsewhere: 4,
};

/** How many tags a log address carries: a tagged log address is more specific than a bare one. */
const tagCount = (a: InboundAddress) =>
  a.kind === 'log' ? a.tags.kinds.length + (a.tags.window ? 1 : 0) + a.tags.unknown.length : 0;

/**
 * One message can reach several of our addresses at once (log@ and log+ask@, say).
 * The most specific instruction wins: a log address first (a tagged one before a bare one),
 * then a reply, then onboarding.
 */
export function primaryInboundAddress(
  recipients: string[],
  mailDomain: string,
): InboundAddress | null {
  const read = recipients.map((r) => readInboundAddress(r, mailDomain));
  read.sort((a, b) => precedence[a.kind] - precedence[b.kind] || tagCount(b) - tagCount(a));
  return read[0] ?? null;
}
