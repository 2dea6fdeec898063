import type { ThreadMessage } from './threads.ts';

/**
 * What makes a sent message the same mail however it reached givefirst: the minute it was sent (an
 * inline forward keeps the date only to the minute), its subject and its To and Cc recipients. A
 * Bcc'd copy has a Message-ID and an inline forward of it has none; this is what they share.
 */
function sentIdentity(m: ThreadMessage): string {
  const recipients = m.contacts
    .filter((c) => c.role === 'to' || c.role === 'cc')
    .map((c) => c.address)
    .sort();
  const subject = m.subject.replace(/\s+/g, ' ').trim().toLowerCase();
  return JSON.stringify([m.sentAt.slice(0, 16), subject, recipients]);
}

/**
 * The same sent mail, Bcc'd and later forwarded inline by the user, is one message in every view:
 * the inline forward is left out when the Bcc'd copy (which has the real Message-ID, the one
 * replies carry) is there too. Decided when the views fold the messages, not when they are written,
 * so it costs no request at ingest and holds whichever copy arrived first.
 */
export function oneRecordPerSentMail<M extends ThreadMessage>(messages: M[]): M[] {
  const bccd = new Set<string>();
  for (const m of messages) {
    if (m.direction === 'out' && m.via !== 'forward-inline') bccd.add(sentIdentity(m));
  }
  if (bccd.size === 0) return messages;
  return messages.filter(
    (m) => !(m.direction === 'out' && m.via === 'forward-inline' && bccd.has(sentIdentity(m))),
  );
}
