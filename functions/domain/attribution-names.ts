import { normaliseAddress } from './mailbox.ts';
import type { Attribution, Mailbox } from './model.ts';

// Apart from reply-attribution.ts, which reads dates with chrono-node: the views use this, and the
// functions that build them need not carry a date parser.

/**
 * The contact an attribution names, per DESIGN: by address; a name without an address must match
 * exactly one contact's display name (case-insensitive, whitespace-normalised), else null.
 */
export function attributionNames(attribution: Attribution, contacts: Mailbox[]): Mailbox | null {
  if (attribution.address) {
    const address = normaliseAddress(attribution.address);
    return contacts.find((contact) => normaliseAddress(contact.address) === address) ?? null;
  }
  const name = comparableName(attribution.name);
  if (!name) return null;
  const named = contacts.filter((contact) => comparableName(contact.name) === name);
  const addresses = new Set(named.map((contact) => normaliseAddress(contact.address)));
  return addresses.size === 1 ? (named[0] ?? null) : null;
}

function comparableName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/^["'“”‘’\s]+|["'“”‘’\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}
