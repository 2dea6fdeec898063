import { shortKey } from '#domain/ids.ts';
import type { LoggedMessage, MessageContact } from '#domain/model.ts';
import { defaultReplyWindow } from '#domain/reply-window.ts';
import { normaliseSubject } from '#domain/thread-subject.ts';

let sequence = 0;

/** Someone in To who is asked for a reply. */
export const asked = (address: string, name = ''): MessageContact => ({
  address,
  name,
  role: 'to',
  awaited: true,
});
/** Someone in To or Cc who is not asked for anything. */
export const told = (address: string, role: 'to' | 'cc' = 'to', name = ''): MessageContact => ({
  address,
  name,
  role,
  awaited: false,
});

/** A message the user sent (Europe/Berlin), asking `to` for a reply unless told otherwise. */
export function sent(
  at: string,
  contacts: MessageContact[],
  over: Partial<LoggedMessage> = {},
): LoggedMessage {
  const messageId = over.messageId ?? `out-${++sequence}@mail.example.com`;
  const awaited = contacts.some((c) => c.awaited);
  return {
    userId: 'user-1',
    messageKey: shortKey(messageId),
    messageId,
    messageIdSource: 'header',
    direction: 'out',
    via: 'bcc',
    from: 'me@example.com',
    sentAt: new Date(at).toISOString(),
    dateSource: 'header',
    receivedAt: new Date(at).toISOString(),
    subject: 'Lunch next week?',
    snippet: '',
    contacts,
    tags: { kinds: [], window: null, unknown: [] },
    asksSomething: awaited,
    broadcast: false,
    window: awaited ? defaultReplyWindow : null,
    kind: 'personal',
    outOfOffice: null,
    attribution: null,
    signals: {},
    inReplyTo: [],
    references: [],
    touchKey: shortKey(messageId),
    timeZone: 'Europe/Berlin',
    receiptId: `receipt-${sequence}`,
    ...over,
  };
}

/** A message a contact sent the user (a Cc'd reply unless told otherwise). */
export function received(
  at: string,
  from: string,
  over: Partial<LoggedMessage> = {},
): LoggedMessage {
  const messageId = over.messageId ?? `in-${++sequence}@mail.example.net`;
  const subject = over.subject ?? 'Re: Lunch next week?';
  return {
    ...sent(at, [{ address: from, name: '', role: 'from', awaited: false }], { messageId }),
    direction: 'in',
    via: 'cc-reply',
    from,
    subject,
    window: null,
    asksSomething: false,
    touchKey: shortKey(
      'in',
      from,
      new Date(at).toISOString().slice(0, 16),
      normaliseSubject(subject),
    ),
    ...over,
  };
}
