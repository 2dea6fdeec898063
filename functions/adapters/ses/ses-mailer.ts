import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';

/**
 * Sends through SES v2 as Simple content (text and HTML parts, with the custom headers SES v2
 * carries: List-Unsubscribe, Auto-Submitted, …), in the configuration set that publishes bounces
 * and complaints when one is given. Throttled sends are retried by the SDK client itself (see
 * `sesRetries` in aws-clients.ts), never by a loop here, which would multiply its retries.
 */
export function makeSesMailer(options: { ses: SESv2Client; configurationSet?: string }): Mailer {
  return {
    async send(mail: OutgoingMail) {
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
