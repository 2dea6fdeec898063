import { normaliseMessageId, shortKey } from './ids.ts';
import { domainOf, normaliseAddress } from './inbound-address.ts';
import { longestAddress } from './mailbox.ts';
import type {
  Attribution,
  Classification,
  ContactRole,
  ForwardedMessage,
  InboundEnvelope,
  LoggedMessage,
  Mailbox,
  MessageContact,
  OutOfOffice,
  ParsedEmail,
  Tags,
  User,
} from './model.ts';
import { bouncedAddresses } from './out-of-office.ts';
import { asksSomething, ownText, snippetOf } from './own-text.ts';
import { defaultReplyWindow } from './reply-window.ts';
import { signalsOf } from './signals.ts';
import { normaliseSubject } from './thread-subject.ts';

/** More contacts than this make a message a broadcast: touches only, no awaited replies. */
export const broadcastThreshold = 10;

/**
 * Caps on what a sender controls, so no logged message can outgrow a DynamoDB item (400 KB) and be
 * kept for a redrive that fails for ever. Real mail stays well inside every one of them.
 */
const subjectLimit = 300;
/** Contacts kept of one message: far past a broadcast; the rest get no touch. */
export const contactLimit = 100;
/** A display name as the digest shows it. */
const nameLimit = 100;
/** In-Reply-To names one message; a few more are tolerated, the latest kept. */
const inReplyToLimit = 10;
/** Of a long References header, the root and the latest few are what link a thread. */
const referencesKept = 20;
/** The quoted attribution line kept as evidence. */
const attributionLineLimit = 300;

export type BuildResult =
  | { kind: 'message'; message: LoggedMessage }
  | { kind: 'nothing-to-track'; detail: string };

/** Whether an address is one of the user's own (their primary address or an alias). */
export function isUsersAddress(address: string, user: User): boolean {
  const wanted = normaliseAddress(address);
  return [user.email, ...user.aliases].some((own) => normaliseAddress(own) === wanted);
}

/** The user's own addresses, the inbound domain and the never-log list are never contacts. */
function isContact(address: string, user: User, mailDomain: string): boolean {
  if (!address.includes('@')) return false;
  if (isUsersAddress(address, user)) return false;
  const domain = domainOf(address);
  if (domain === mailDomain) return false;
  return !isNeverLogged(address, user);
}

function isNeverLogged(address: string, user: User): boolean {
  const domain = domainOf(address);
  return user.neverLog
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
      if (seen.size >= contactLimit) return;
      const address = normaliseAddress(box.address);
      if (address.length > longestAddress) continue;
      if (seen.has(address) || !isContact(address, user, mailDomain)) continue;
      seen.set(address, { address, name: cleanName(box.name), role });
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

/** A forwarded message in the shape of a parsed one, so the same rules read it. */
export function asParsedEmail(forwarded: ForwardedMessage): ParsedEmail {
  return {
    from: forwarded.from,
    fromAmbiguity: null,
    to: forwarded.to,
    cc: forwarded.cc,
    bcc: [],
    subject: forwarded.subject,
    date: forwarded.date,
    dateToTheMinute: forwarded.dateToTheMinute,
    messageId: forwarded.messageId,
    inReplyTo: forwarded.inReplyTo,
    references: forwarded.references,
    headers: forwarded.headers,
    authenticationResults: [],
    contentType: forwarded.contentType,
    text: forwarded.text,
    bodyDigest: shortKey(forwarded.text),
    attachedMessage: null,
  };
}

/** Dates further back than this are taken for a broken clock, not for history. */
const oldestBelievableYears = 10;
/** A Date up to this far ahead of the receipt is clock skew, not the future. */
const skewMs = 24 * 3_600_000;

/**
 * When a message was sent: its Date header, or the receipt time when it has none; a Date in the
 * future or decades before the receipt is clamped to the receipt time, and the record says so.
 */
export function sentTime(
  date: Date | null,
  receivedAt: Date,
): { sentAt: Date; dateSource: LoggedMessage['dateSource'] } {
  if (!date) return { sentAt: receivedAt, dateSource: 'receipt' };
  const oldest = new Date(receivedAt);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - oldestBelievableYears);
  if (date.getTime() > receivedAt.getTime() + skewMs || date < oldest) {
    return { sentAt: receivedAt, dateSource: 'clamped' };
  }
  return { sentAt: date, dateSource: 'header' };
}

function identity(email: ParsedEmail) {
  const headerId = normaliseMessageId(email.messageId ?? '') || null;
  const messageId = headerId ?? derivedMessageId(email);
  return {
    messageId,
    messageKey: shortKey(messageId),
    messageIdSource: headerId ? ('header' as const) : ('derived' as const),
    references: keptReferences(email.references.map(normaliseMessageId).filter(Boolean)),
    inReplyTo: email.inReplyTo.map(normaliseMessageId).filter(Boolean).slice(-inReplyToLimit),
  };
}

const keptReferences = (ids: string[]) =>
  ids.length <= referencesKept + 1 ? ids : [ids[0] as string, ...ids.slice(-referencesKept)];

const cleanSubject = (subject: string) => withoutBrokenPair(subject.slice(0, subjectLimit));
const cleanName = (name: string) => withoutBrokenPair(name.slice(0, nameLimit));

function cleanAttribution(attribution: Attribution | null | undefined): Attribution | null {
  if (!attribution) return null;
  return {
    ...attribution,
    name: cleanName(attribution.name),
    address:
      attribution.address && attribution.address.length <= longestAddress
        ? attribution.address
        : null,
    line: withoutBrokenPair(attribution.line.slice(0, attributionLineLimit)),
  };
}

/**
 * Turns a parsed message the user sent into what givefirst keeps of it.
 *
 * Primary course:
 * 1. Contacts: every To, Cc (and a kept Bcc) address that is not the user's, not ours, not never-log.
 * 2. The user's own new text (quotes and signature split off) and whether it asks anything.
 * 3. Awaited replies: To contacts of a message that asks something (or carries a window or `ask`),
 *    unless it is a broadcast or tagged `fyi`; their window is the tag's or 3 business days.
 * 4. Identity: Message-ID (or one derived from the bytes) and the links to the thread.
 */
export function buildLoggedMessage(input: {
  email: ParsedEmail;
  user: User;
  tags: Tags;
  envelope: InboundEnvelope;
  mailDomain: string;
  via?: LoggedMessage['via'];
  /** The topmost quoted attribution of the message's full text, if any. */
  attribution?: Attribution | null;
}): BuildResult {
  const { email, user, tags, envelope, mailDomain } = input;
  const found = contactsOf(email, user, mailDomain.toLowerCase());
  if (found.length === 0) {
    const neverLogged = [...email.to, ...email.cc, ...email.bcc].some((box) =>
      isNeverLogged(normaliseAddress(box.address), user),
    );
    return {
      kind: 'nothing-to-track',
      detail: neverLogged
        ? 'everyone else it was addressed to is on your never-log list'
        : 'the message was addressed only to your own or givefirst addresses',
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
  const { sentAt, dateSource } = sentTime(email.date, envelope.receivedAt);
  const ids = identity(email);

  return {
    kind: 'message',
    message: {
      userId: user.userId,
      ...ids,
      direction: 'out',
      via: input.via ?? 'bcc',
      from: normaliseAddress(user.email),
      sentAt: sentAt.toISOString(),
      dateSource,
      receivedAt: envelope.receivedAt.toISOString(),
      subject: cleanSubject(email.subject),
      snippet: snippetOf(text),
      contacts,
      tags,
      asksSomething: asks,
      broadcast,
      window: contacts.some((c) => c.awaited) ? (tags.window ?? defaultReplyWindow) : null,
      kind: 'personal',
      outOfOffice: null,
      attribution: cleanAttribution(input.attribution),
      signals: signalsOf(tags, text, broadcast),
      touchKey: ids.messageKey,
      timeZone: user.timeZone,
      receiptId: envelope.receiptId,
    },
  };
}

/** A bounce names at most this many addresses it could not reach. */
const bouncedLimit = 10;

/**
 * Turns a message a contact sent the user into what givefirst keeps of it: a reply that reached
 * the log address in Cc, or one the user forwarded. It can close threads and count as a touch in;
 * it awaits nothing and no tag of the user's applies to it. A delivery-failure report's contacts
 * are the addresses it could not reach (in To: the user's mail was to them), when it names them.
 */
export function buildIncomingMessage(input: {
  email: ParsedEmail;
  sender: Mailbox;
  user: User;
  envelope: InboundEnvelope;
  via: LoggedMessage['via'];
  kind: Classification;
  outOfOffice: OutOfOffice | null;
  tags?: Tags;
}): LoggedMessage {
  const { email, sender, user, envelope } = input;
  // A date to the minute means the whole minute: an answer is read at its end, so it is never
  // dated before the question it answers (an auto-reply leaves seconds after it).
  const date =
    email.date && email.dateToTheMinute ? new Date(email.date.getTime() + 59_999) : email.date;
  const { sentAt, dateSource } = sentTime(date, envelope.receivedAt);
  const ids = identity(email);
  const address = normaliseAddress(sender.address);
  const minute = sentAt.toISOString().slice(0, 16);
  // A bounce is about the addresses it could not reach, not about the server that wrote it.
  const bounced =
    input.kind === 'bounce'
      ? bouncedAddresses(email.text)
          .map(normaliseAddress)
          .filter((a) => !isUsersAddress(a, user))
          .slice(0, bouncedLimit)
      : [];
  const contacts: MessageContact[] =
    bounced.length > 0
      ? bounced.map((a) => ({ address: a, name: '', role: 'to', awaited: false }))
      : [{ address, name: cleanName(sender.name), role: 'from', awaited: false }];
  return {
    userId: user.userId,
    ...ids,
    direction: 'in',
    via: input.via,
    from: address,
    sentAt: sentAt.toISOString(),
    dateSource,
    receivedAt: envelope.receivedAt.toISOString(),
    subject: cleanSubject(email.subject),
    snippet: snippetOf(ownText(email.text)),
    contacts,
    tags: input.tags ?? { kinds: [], window: null, unknown: [] },
    asksSomething: false,
    broadcast: false,
    window: null,
    kind: input.kind,
    outOfOffice: input.outOfOffice,
    attribution: null,
    signals: input.tags ? signalsOf(input.tags, '', false) : {},
    touchKey: shortKey('in', address, minute, normaliseSubject(email.subject)),
    timeZone: user.timeZone,
    receiptId: envelope.receiptId,
  };
}
