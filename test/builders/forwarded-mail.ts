import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { ParsedEmail } from '#domain/model.ts';
import { mailDomain } from './envelope.ts';
import { aParsedEmail } from './parsed-email.ts';

/** Lines as a mail client lays them out, joined into one body. */
export const body = (...lines: string[]) => lines.join('\n');

/** What the parser hands the domain for a message the user forwarded to log@ alone. */
export function aForwardToLog(text: string, subject = 'Fwd: Intro'): ParsedEmail {
  return aParsedEmail({ to: [`log@${mailDomain}`], subject, text });
}

/** A raw message as nodemailer composes it. */
export const composed = (options: Mail.Options): Promise<Buffer> =>
  new MailComposer(options).compile().build();

/** The message Ann sent the user, as a raw message to forward. */
export const annsMessage = (overrides: Mail.Options = {}): Promise<Buffer> =>
  composed({
    from: 'Ann Lee <Ann@Friends.test>',
    to: 'Me <me@example.org>',
    cc: 'Bob Stone <bob@partner.test>',
    subject: 'Re: Intro',
    date: new Date('2026-03-02T09:15:00Z'),
    messageId: '<reply.2@mail.friends.test>',
    inReplyTo: '<intro.1@mail.example.org>',
    references: ['<intro.1@mail.example.org>'],
    text: 'Thanks for the intro! Bob, shall we talk on Thursday?',
    ...overrides,
  });

/**
 * A raw message the user forwards to log@ with messages attached; each attachment's content type
 * (message/rfc822 unless given), disposition and transfer encoding as the client writes them.
 */
export function aForwardAsAttachment(
  attached: {
    content: Buffer;
    contentType?: string;
    disposition?: 'inline' | 'attachment';
    transferEncoding?: 'base64' | '7bit';
  }[],
  overrides: Mail.Options = {},
): Promise<Buffer> {
  return composed({
    from: 'Me <me@example.org>',
    to: `log@${mailDomain}`,
    subject: 'Fwd: Re: Intro',
    date: new Date('2026-03-02T10:00:00Z'),
    messageId: '<forward.3@mail.example.org>',
    text: 'Ann answered, see attached.',
    attachments: attached.map(({ content, contentType, disposition, transferEncoding }, index) => ({
      content,
      contentType: contentType ?? 'message/rfc822',
      filename: `forwarded-${index + 1}.eml`,
      ...(disposition ? { contentDisposition: disposition } : {}),
      ...(transferEncoding ? { contentTransferEncoding: transferEncoding } : {}),
    })),
    ...overrides,
  });
}
