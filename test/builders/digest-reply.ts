import { aRawMessage } from './raw-mail.ts';

/** How a mail client writes a reply: the user's text on top, the digest quoted below. */
export type ReplyClient = 'gmail' | 'outlook' | 'apple-mail' | 'iphone' | 'gmail-html';

const quoted = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');

/** The body of a reply as each client writes it, quoting the digest's text below the user's. */
export function aReplyBody(client: ReplyClient, typed: string, digestText: string): string {
  const from = 'givefirst <digest@in.givefirst.test>';
  switch (client) {
    case 'gmail':
    case 'gmail-html':
      return `${typed}\n\nOn Thu, Dec 3, 2026 at 8:00 AM ${from} wrote:\n\n${quoted(digestText)}\n`;
    case 'outlook':
      // Outlook does not quote with '>': a rule, a header block, then the digest as it was.
      return `${typed}\n\n________________________________\nFrom: ${from}\nSent: Thursday, December 3, 2026 8:00 AM\nTo: me@example.com\nSubject: 5 waiting on replies\n\n${digestText}\n`;
    case 'apple-mail':
      return `${typed}\n\n> On 3 Dec 2026, at 08:00, ${from} wrote:\n> \n${quoted(digestText)}\n`;
    case 'iphone':
      return `${typed}\n\nSent from my iPhone\n\n> On 3 Dec 2026, at 08:00, ${from} wrote:\n> \n${quoted(digestText)}\n`;
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A reply to a digest, raw, as the client sends it (Gmail's HTML-only form when asked). */
export function aDigestReply(fields: {
  client: ReplyClient;
  typed: string;
  digestText: string;
  replyTo: string;
  from?: string;
  subject?: string;
  messageId?: string;
  extraHeaders?: string[];
}): string {
  const body = aReplyBody(fields.client, fields.typed, fields.digestText);
  const common = {
    from: fields.from ?? 'Me <me@example.com>',
    to: fields.replyTo,
    subject: fields.subject ?? 'Re: 5 waiting on replies',
    date: 'Thu, 3 Dec 2026 09:10:00 +0100',
    ...(fields.messageId ? { messageId: fields.messageId } : {}),
    ...(fields.extraHeaders ? { extraHeaders: fields.extraHeaders } : {}),
  };
  if (fields.client !== 'gmail-html') return aRawMessage({ ...common, body });
  const html = `<div dir="ltr">${fields.typed
    .split('\n')
    .map((l) => `<div>${escapeHtml(l) || '<br>'}</div>`)
    .join(
      '',
    )}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, Dec 3, 2026 at 8:00 AM givefirst &lt;digest@in.givefirst.test&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${escapeHtml(
    fields.digestText,
  ).replace(/\n/g, '<br>')}</blockquote></div>`;
  return aRawMessage({ ...common, body: html }).replace(
    'Content-Type: text/plain; charset=utf-8',
    'Content-Type: text/html; charset=utf-8',
  );
}
