import type { LoggedMessage } from './model.ts';
import type { DigestItemRef } from './ports.ts';

/** What a forgotten address is replaced with in text the user wrote (a subject, a snippet). */
export const forgottenMark = '(forgotten)';

/**
 * An address as it stands in text, not part of a longer one: `malice@x.com` and `alice@x.com.au`
 * are not `alice@x.com`.
 */
function addressPattern(address: string): RegExp {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.%+-])${escaped}(?![\\w-]|\\.\\w)`, 'gi');
}

/** Whether a text names an address (case-insensitive, as addresses are kept lower-cased). */
export function mentions(text: string | null | undefined, address: string): boolean {
  return typeof text === 'string' && addressPattern(address).test(text);
}

function scrub(text: string, address: string): string {
  return text.replace(addressPattern(address), forgottenMark);
}

/** What `forget` reads and rewrites of a message: a logged one, or what a history checkpoint keeps. */
type Naming = Pick<LoggedMessage, 'contacts' | 'subject'> &
  Partial<Pick<LoggedMessage, 'from' | 'attribution' | 'snippet'>>;

/** Whether a logged message names an address anywhere it keeps one. */
export function namesContact(message: Naming, address: string): boolean {
  return (
    message.from === address ||
    message.contacts.some((c) => c.address === address) ||
    message.attribution?.address === address ||
    mentions(message.attribution?.line, address) ||
    mentions(message.subject, address) ||
    mentions(message.snippet, address)
  );
}

/**
 * A logged message without one contact, for `forget`: `null` when they were its only contact (the
 * message goes), otherwise the message rewritten without them, so that the others it names keep
 * their ledger and threads. Their address is taken out of the participants and the quoted
 * attribution, and replaced in the subject and the snippet; nothing else in an item names anyone.
 */
export function withoutContact<M extends Naming>(message: M, address: string): M | null {
  const contacts = message.contacts.filter((c) => c.address !== address);
  if (contacts.length === 0 || message.from === address) return null;
  const attribution =
    message.attribution &&
    (message.attribution.address === address || mentions(message.attribution.line, address))
      ? null
      : message.attribution;
  return {
    ...message,
    contacts,
    attribution,
    subject: scrub(message.subject, address),
    ...(message.snippet === undefined ? {} : { snippet: scrub(message.snippet, address) }),
  };
}

/** A digest's numbered items without those about a contact (the others keep their numbers). */
export function digestItemsWithout(items: DigestItemRef[], address: string): DigestItemRef[] {
  return items.filter(
    (i) => i.address !== address && !mentions(i.name, address) && !mentions(i.subject, address),
  );
}

/** Whether a steer or let-go key is about a contact: keys end with the contact's address. */
export function keyNames(key: string, address: string): boolean {
  return key === `contact ${address}` || key.endsWith(` ${address}`);
}
