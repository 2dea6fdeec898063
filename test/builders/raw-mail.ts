/** Builds a raw RFC 5322 message as a mail client would send it; omit a header by passing null. */
export function aRawMessage(
  fields: {
    from?: string;
    to?: string | null;
    cc?: string | null;
    subject?: string;
    date?: string | null;
    messageId?: string | null;
    inReplyTo?: string;
    references?: string;
    extraHeaders?: string[];
    body?: string;
  } = {},
): string {
  const headers = [
    `From: ${fields.from ?? 'Me <me@example.com>'}`,
    fields.to === null ? null : `To: ${fields.to ?? 'Alice <alice@x.com>'}`,
    fields.cc ? `Cc: ${fields.cc}` : null,
    `Subject: ${fields.subject ?? 'Coffee?'}`,
    fields.date === null ? null : `Date: ${fields.date ?? 'Mon, 2 Mar 2026 10:15:00 +0100'}`,
    fields.messageId === null
      ? null
      : `Message-ID: ${fields.messageId ?? `<${Math.random().toString(36).slice(2)}@mail.example.com>`}`,
    fields.inReplyTo ? `In-Reply-To: ${fields.inReplyTo}` : null,
    fields.references ? `References: ${fields.references}` : null,
    ...(fields.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ].filter((h): h is string => h !== null);
  return `${headers.join('\r\n')}\r\n\r\n${(fields.body ?? 'Are you free for coffee on Thursday?').replace(/\r?\n/g, '\r\n')}\r\n`;
}

/**
 * A question the user sends Alice ("Lunch next week?"), and Alice's reply to it with the log
 * address in Cc (`log` is that address): a pair whose order and crashes the ingest tests vary.
 */
export function aLunchQuestionAndReply(log: string): { question: string; ccdReply: string } {
  return {
    question: aRawMessage({
      from: 'Me <me@example.com>',
      to: 'Alice <alice@x.com>',
      subject: 'Lunch next week?',
      date: 'Mon, 2 Mar 2026 10:15:00 +0100',
      messageId: '<q-lunch@mail.example.com>',
      body: 'Are you free for lunch on Tuesday?\n\nMe',
    }),
    ccdReply: aRawMessage({
      from: 'Alice <alice@x.com>',
      to: 'Me <me@example.com>',
      cc: log,
      subject: 'Re: Lunch next week?',
      date: 'Tue, 3 Mar 2026 09:00:00 +0100',
      messageId: '<r-lunch@mail.x.com>',
      inReplyTo: '<q-lunch@mail.example.com>',
      references: '<q-lunch@mail.example.com>',
      body: 'Tuesday works.\n\nAlice',
    }),
  };
}
