import { normaliseMessageId, shortKey } from './ids.ts';
import { domainOf, normaliseAddress } from './inbound-address.ts';
import type {
  ContactRole,
  InboundEnvelope,
  LoggedMessage,
  Mailbox,
  MessageContact,
  ParsedEmail,
  Tags,
  User,
} from './model.ts';
import { asksSomething, ownText, snippetOf } from './own-text.ts';
import { defaultReplyWindow, dueDate } from './reply-window.ts';

/** More contacts than this make a message a broadcast: touches only, no awaited replies. */
export const broadcastThreshold = 10;

const subjectLimit = 300;

export type BuildResult =
  | { kind: 'message'; message: LoggedMessage }
  | { kind: 'nothing-to-track'; detail: string };

/** The user's own addresses, the inbound domain and the never-log list are never contacts. */
function isContact(address: string, user: User, mailDomain: string): boolean {
  if (!address.includes('@')) return false;
  const own = [user.email, ...user.aliases].map(normaliseAddress);
  if (own.includes(address)) return false;
  const domain = domainOf(address);
  if (domain === mailDomain) return false;
  return !user.neverLog
    .map(normaliseAddress)
    .some((entry) => entry === address || entry === `@${domain}`);
}

function contactsOf(
  email: ParsedEmail,
  user: User,
  mailDomain: string,
): Omit<MessageContact, 'awaited'>[] {
  const seen = new Map<string, Omit<MessageContact, 'awaited'>>();
  const add = (boxes: Mailbox[], role: ContactRole) => {
    for (const box of boxes) {
      const address = normaliseAddress(box.address);
      if (seen.has(address) || !isContact(address, user, mailDomain)) continue;
      seen.set(address, { address, name: box.name, role });
    }
  };
  add(email.to, 'to');
  add(email.cc, 'cc');
  add(email.bcc, 'bcc');
  return [...seen.values()];
}

/** A cut that split an emoji leaves a lone surrogate, which is not valid text; drop it. */
const withoutBrokenPair = (cut: string) => cut.replace(/[\uD800-\uDBFF]$/, '');

/** A Message-ID for a message that came without one, stable across re-deliveries of the same bytes. */
function derivedMessageId(email: ParsedEmail): string {
  const key = shortKey(
    email.from?.address ?? '',
    ...email.to.map((m) => `to:${m.address}`),
    ...email.cc.map((m) => `cc:${m.address}`),
    email.subject,
    email.date?.toISOString() ?? '',
    email.bodyDigest,
  );
  return `${key}@derived.givefirst.invalid`;
}

/**
 * Turns a parsed message the user sent into what givefirst keeps of it.
 *
 * Primary course:
 * 1. Contacts: every To, Cc (and a kept Bcc) address that is not the user's, not ours, not never-log.
 * 2. The user's own new text (quotes and signature split off) and whether it asks anything.
 * 3. Awaited replies: To contacts of a message that asks something (or carries a window or `ask`),
 *    unless it is a broadcast or tagged `fyi`; due after the reply window in the user's zone.
 * 4. Identity: Message-ID (or one derived from the bytes) and the thread's root.
 */
export function buildLoggedMessage(input: {
  email: ParsedEmail;
  user: User;
  tags: Tags;
  envelope: InboundEnvelope;
  mailDomain: string;
}): BuildResult {
  const { email, user, tags, envelope, mailDomain } = input;
  const found = contactsOf(email, user, mailDomain.toLowerCase());
  if (found.length === 0) {
    return {
      kind: 'nothing-to-track',
      detail: 'the message was addressed only to your own or givefirst addresses',
    };
  }
  const text = ownText(email.text);
  const asks = asksSomething(text);
  const broadcast = found.length > broadcastThreshold;
  const wantsReply =
    !broadcast &&
    !tags.kinds.includes('fyi') &&
    (asks || tags.window !== null || tags.kinds.includes('ask'));
  const contacts = found.map((c) => ({ ...c, awaited: wantsReply && c.role === 'to' }));

  const sentAt = email.date ?? envelope.receivedAt;
  const headerId = normaliseMessageId(email.messageId ?? '') || null;
  const messageId = headerId ?? derivedMessageId(email);
  const references = email.references.map(normaliseMessageId).filter(Boolean);
  const inReplyTo = email.inReplyTo.map(normaliseMessageId).filter(Boolean);
  const root = references[0] ?? inReplyTo[0] ?? messageId;
  const awaitedAny = contacts.some((c) => c.awaited);

  return {
    kind: 'message',
    message: {
      userId: user.userId,
      messageKey: shortKey(messageId),
      messageId,
      messageIdSource: headerId ? 'header' : 'derived',
      threadKey: shortKey(root),
      direction: 'out',
      sentAt: sentAt.toISOString(),
      dateSource: email.date ? 'header' : 'receipt',
      subject: withoutBrokenPair(email.subject.slice(0, subjectLimit)),
      snippet: snippetOf(text),
      contacts,
      tags,
      asksSomething: asks,
      broadcast,
      dueOn: awaitedAny ? dueDate(sentAt, user.timeZone, tags.window ?? defaultReplyWindow) : null,
      timeZone: user.timeZone,
      references,
      receiptId: envelope.receiptId,
    },
  };
}
