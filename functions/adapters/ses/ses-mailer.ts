import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';

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

/**
 * Sends through SES v2 as Simple content (text and HTML parts, with the custom headers SES v2
 * carries: List-Unsubscribe, Auto-Submitted, …), or as Raw content composed by nodemailer when
 * files are attached (an export), in the configuration set that publishes bounces
 * and complaints when one is given. Throttled sends are retried by the SDK client itself (see
 * `sesRetries` in aws-clients.ts), never by a loop here, which would multiply its retries.
 */
export function makeSesMailer(options: { ses: SESv2Client; configurationSet?: string }): Mailer {
  return {
    async send(mail: OutgoingMail) {
      if (mail.attachments && mail.attachments.length > 0) {
        // Simple content carries no attachments on every SES endpoint: raw MIME does.
        const sent = await options.ses.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: [mail.to] },
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
            Content: { Raw: { Data: await composeRaw(mail) } },
          }),
        );
        return { messageId: sent.MessageId ?? '' };
      }
      const sent = await options.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                Html: { Data: mail.html, Charset: 'UTF-8' },
              },
              Headers: Object.entries(mail.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
        }),
      );
      return { messageId: sent.MessageId ?? '' };
    },
  };
}
