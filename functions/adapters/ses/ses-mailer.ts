import {
  type SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import type { Logger, Mailer, OutgoingMail } from '#domain/ports.ts';

/** SES answered that it is sending too fast: worth waiting and trying again. */
function throttled(error: unknown): boolean {
  if (error instanceof TooManyRequestsException) return true;
  return (error as { $retryable?: { throttling?: boolean } }).$retryable?.throttling === true;
}

/**
 * Sends through SES v2 as Simple content (text and HTML parts, with the custom headers SES v2
 * carries: List-Unsubscribe, Auto-Submitted, …). A throttled send is retried with backoff before it
 * is given up; any other error is given up at once.
 */
export function makeSesMailer(options: {
  ses: SESv2Client;
  logger: Logger;
  attempts?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}): Mailer {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  return {
    async send(mail: OutgoingMail) {
      const command = new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        ReplyToAddresses: [mail.replyTo],
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
      });
      for (let attempt = 1; ; attempt++) {
        try {
          const sent = await options.ses.send(command);
          return { messageId: sent.MessageId ?? '' };
        } catch (error) {
          if (!throttled(error) || attempt >= attempts) throw error;
          options.logger.warn('ses throttled; retrying', { attempt });
          await sleep(backoffMs * 2 ** (attempt - 1));
        }
      }
    },
  };
}
