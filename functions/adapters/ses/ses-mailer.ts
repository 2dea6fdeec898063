import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';

/** Builds a whole message as MIME, for Raw content (see compose-raw.ts). */
export type ComposeRaw = (mail: OutgoingMail) => Promise<Buffer>;

/**
 * Sends through SES v2 as Simple content (text and HTML parts, with the custom headers SES v2
 * carries: List-Unsubscribe, Auto-Submitted, …), or as Raw content composed by nodemailer when
 * files are attached (an export), in the configuration set that publishes bounces
 * and complaints when one is given. Throttled sends are retried by the SDK client itself (see
 * `sesRetries` in aws-clients.ts), never by a loop here, which would multiply its retries.
 */
export function makeSesMailer(options: {
  ses: SESv2Client;
  configurationSet?: string;
  /**
   * Only where files go out (answers to `export`): the digest functions leave it out, and with it
   * nodemailer's MIME composer from their bundles.
   */
  composeRaw?: ComposeRaw;
}): Mailer {
  return {
    async send(mail: OutgoingMail) {
      if (mail.attachments && mail.attachments.length > 0) {
        if (!options.composeRaw) throw new Error('this mailer sends no attachments');
        // Simple content carries no attachments on every SES endpoint: raw MIME does.
        const sent = await options.ses.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: [mail.to] },
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
            Content: { Raw: { Data: await options.composeRaw(mail) } },
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
