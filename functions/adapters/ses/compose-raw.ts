import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from '#domain/ports.ts';

/** The whole message as MIME, attachments included: what SES v2 sends as Raw content. */
export async function composeRaw(mail: OutgoingMail): Promise<Buffer> {
  return new MailComposer({
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  })
    .compile()
    .build();
}
