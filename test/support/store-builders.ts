import { shortKey } from '#domain/ids.ts';
import type {
  InboundEnvelope,
  LoggedMessage,
  MessageContact,
  Outcome,
  RejectionReason,
  User,
} from '#domain/model.ts';
import { anEnvelope as anyEnvelope } from '#test/builders/envelope.ts';
import { sent } from '#test/builders/logged-message.ts';

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

const dayMs = 86_400_000;

/** A registered user; the id follows the primary address unless given. */
export function aUser(overrides: Partial<User> = {}): User {
  const email = overrides.email ?? 'ada@example.com';
  return {
    userId: `user-${email.split('@')[0]}`,
    email,
    aliases: [],
    timeZone: 'Europe/Berlin',
    digestAt: '08:00',
    neverLog: [],
    createdAt: '2025-03-01T08:00:00.000Z',
    ...overrides,
  };
}

/** A To contact of a logged message, not awaited unless told. */
export function aContact(address: string, overrides: Partial<MessageContact> = {}): MessageContact {
  const local = address.split('@')[0] ?? address;
  return {
    address,
    name: local.charAt(0).toUpperCase() + local.slice(1),
    role: 'to',
    awaited: false,
    ...overrides,
  };
}

/** A To contact the user now waits for. */
export const awaiting = (address: string, overrides: Partial<MessageContact> = {}) =>
  aContact(address, { ...overrides, awaited: true });

/**
 * A message the user sent: its own Message-ID (keyed as ingest keys it) and touch key unless
 * given; awaiting anyone makes it ask something and gives it the default reply window.
 */
export function aLoggedMessage(overrides: Partial<LoggedMessage> = {}): LoggedMessage {
  const messageId = overrides.messageId ?? `m${next()}@mail.example.com`;
  const messageKey = overrides.messageKey ?? shortKey(messageId);
  return sent(
    overrides.sentAt ?? '2025-03-03T09:00:00.000Z',
    overrides.contacts ?? [aContact('bob@example.com')],
    {
      userId: 'user-ada',
      from: 'ada@example.com',
      snippet: 'Would Tuesday work for you?',
      messageKey,
      touchKey: messageKey,
      receiptId: `receipt-${messageKey}`,
      ...overrides,
      messageId,
    },
  );
}

/**
 * A reply a contact (bob unless told) sent the user, Cc'd to the log address: its own Message-ID
 * and touch key unless given (copies of one reply share a touch key; set it to say so).
 */
export function anIncomingMessage(overrides: Partial<LoggedMessage> = {}): LoggedMessage {
  const from = overrides.from ?? 'bob@example.com';
  return aLoggedMessage({
    direction: 'in',
    via: 'cc-reply',
    from,
    subject: 'Re: Lunch next week?',
    snippet: 'Tuesday works.',
    contacts: [aContact(from, { role: 'from' })],
    ...overrides,
  });
}

/** One received message's envelope, with passing verdicts and a receipt id of its own. */
export function anEnvelope(overrides: Partial<InboundEnvelope> = {}): InboundEnvelope {
  const receiptId = overrides.receiptId ?? `receipt-${next()}`;
  return anyEnvelope({
    receiptId,
    rawKey: `raw/${receiptId}`,
    recipients: ['log@givefirst.example'],
    mailFrom: 'ada@example.com',
    receivedAt: new Date('2025-03-03T09:00:00.000Z'),
    ...overrides,
  });
}

export function aRejection(
  reason: RejectionReason = 'unknown-sender',
  detail = 'not registered',
): Outcome {
  return { status: 'rejected', reason, detail };
}

export function aLoggedOutcome(messageKey = 'msg-logged'): Outcome {
  return { status: 'logged', userId: 'user-ada', messageKey, contacts: 1, awaited: 0 };
}

/** A clock the test moves by hand. */
export function aClock(startAt: string) {
  let now = Date.parse(startAt);
  return {
    now: () => new Date(now),
    set: (at: string) => {
      now = Date.parse(at);
    },
    advanceDays: (days: number) => {
      now += days * dayMs;
    },
    advanceMinutes: (minutes: number) => {
      now += minutes * 60_000;
    },
  };
}
