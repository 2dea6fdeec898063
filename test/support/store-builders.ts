import type {
  InboundEnvelope,
  LoggedMessage,
  MessageContact,
  Outcome,
  RejectionReason,
  User,
} from '#domain/model.ts';
import { anEnvelope as anyEnvelope } from '../builders/envelope.ts';

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
 * A message the user sent: its own message and thread key unless given; due three days after it
 * was sent when it awaits anyone.
 */
export function aLoggedMessage(overrides: Partial<LoggedMessage> = {}): LoggedMessage {
  const messageKey = overrides.messageKey ?? `msg-${next()}`;
  const sentAt = overrides.sentAt ?? '2025-03-03T09:00:00.000Z';
  const contacts = overrides.contacts ?? [aContact('bob@example.com')];
  const dueOn = contacts.some((c) => c.awaited)
    ? new Date(Date.parse(sentAt) + 3 * dayMs).toISOString().slice(0, 10)
    : null;
  return {
    userId: 'user-ada',
    messageKey,
    messageId: `${messageKey}@mail.example.com`,
    messageIdSource: 'header',
    threadKey: `thread-${messageKey}`,
    direction: 'out',
    sentAt,
    dateSource: 'header',
    subject: 'Lunch next week?',
    snippet: 'Would Tuesday work for you?',
    contacts,
    tags: { kinds: [], window: null, unknown: [] },
    asksSomething: contacts.some((c) => c.awaited),
    broadcast: false,
    dueOn,
    timeZone: 'Europe/Berlin',
    references: [],
    receiptId: `receipt-${messageKey}`,
    ...overrides,
  };
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
  };
}
