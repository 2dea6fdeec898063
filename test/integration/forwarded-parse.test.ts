import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { findForwardedMessage } from '#domain/forwarded-message.ts';
import {
  aForwardAsAttachment,
  annsMessage,
  body,
  composed,
} from '#test/builders/forwarded-mail.ts';
import { aMailbox } from '#test/builders/parsed-email.ts';

const parse = (raw: Buffer) => parseMail(Readable.from([raw]));

const annsReply = {
  from: aMailbox('Ann Lee <ann@friends.test>'),
  to: [aMailbox('Me <me@example.org>')],
  cc: [aMailbox('Bob Stone <bob@partner.test>')],
  subject: 'Re: Intro',
  date: new Date('2026-03-02T09:15:00Z'),
  messageId: '<reply.2@mail.friends.test>',
  inReplyTo: ['<intro.1@mail.example.org>'],
  references: ['<intro.1@mail.example.org>'],
  attachedMessage: null,
};

describe('a forwarded message through the MIME parser', () => {
  it('reads a message attached as Gmail and Outlook attach it (attachment, base64)', async () => {
    // Prepare
    const raw = await aForwardAsAttachment([
      {
        content: await annsMessage({ html: '<p>Thanks for the intro!</p>' }),
        disposition: 'attachment',
        transferEncoding: 'base64',
      },
    ]);

    // Act
    const email = await parse(raw);

    // Assess
    expect(email.text.trim()).toBe('Ann answered, see attached.');
    expect(email.attachedMessage).toMatchObject({
      ...annsReply,
      contentType: 'multipart/alternative',
      text: expect.stringContaining('shall we talk on Thursday?'),
    });
  });

  it('reads an attached message marked inline as an attachment, keeping its text apart', async () => {
    // Prepare: nodemailer attaches a message inline, 7bit, which a MIME parser could read as part
    // of the outer message
    const raw = await aForwardAsAttachment([{ content: await annsMessage() }]);
    expect(raw.toString()).toContain('Content-Disposition: inline');

    // Act
    const email = await parse(raw);

    // Assess
    expect(email.text).not.toContain('Thursday');
    expect(email.attachedMessage).toMatchObject({
      ...annsReply,
      text: expect.stringContaining('shall we talk on Thursday?'),
    });
  });

  it('reads a message/global attachment (an internationalised message)', async () => {
    // Prepare
    const raw = await aForwardAsAttachment([
      { content: await annsMessage(), contentType: 'message/global', disposition: 'attachment' },
    ]);

    // Act
    const email = await parse(raw);

    // Assess
    expect(email.attachedMessage).toMatchObject(annsReply);
  });

  it('keeps the automation headers of an attached out-of-office reply', async () => {
    // Prepare
    const outOfOffice = await annsMessage({
      subject: 'Automatic reply: Intro',
      text: 'I am out of the office until Monday, 9 March.',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    });
    const raw = await aForwardAsAttachment([{ content: outOfOffice, disposition: 'attachment' }]);

    // Act
    const found = findForwardedMessage(await parse(raw), 'Europe/Berlin');

    // Assess
    expect(found).toMatchObject({
      how: 'attached',
      from: annsReply.from,
      messageId: '<reply.2@mail.friends.test>',
      references: ['<intro.1@mail.example.org>'],
      headers: { 'auto-submitted': 'auto-replied', 'x-auto-response-suppress': 'All' },
      text: expect.stringContaining('out of the office until Monday'),
    });
  });

  it('reads only the first attached message, and not one attached inside it', async () => {
    // Prepare
    const innermost = await annsMessage({ subject: 'The innermost' });
    const first = await annsMessage({
      attachments: [{ content: innermost, contentType: 'message/rfc822', filename: 'in.eml' }],
    });
    const second = await annsMessage({ subject: 'The second' });
    const raw = await aForwardAsAttachment([
      { content: randomBytes(2048), contentType: 'application/pdf' },
      { content: first, disposition: 'attachment' },
      { content: second, disposition: 'attachment' },
    ]);

    // Act
    const email = await parse(raw);

    // Assess
    expect(email.attachedMessage).toMatchObject({ ...annsReply, attachedMessage: null });
  });

  it('leaves an attached message over 10 MB unread, and still reads the message around it', async () => {
    // Prepare: an 8 MB file, base64 inside the attached message, makes it about 11 MB
    const large = await annsMessage({
      attachments: [{ content: randomBytes(8 * 1024 * 1024), filename: 'photos.zip' }],
    });
    expect(large.length).toBeGreaterThan(10 * 1024 * 1024);
    const raw = await aForwardAsAttachment([
      { content: large, disposition: 'attachment', transferEncoding: 'base64' },
    ]);

    // Act
    const email = await parse(raw);

    // Assess
    expect(email.attachedMessage).toBeNull();
    expect(email.text.trim()).toBe('Ann answered, see attached.');
    expect(email.messageId).toBe('<forward.3@mail.example.org>');
  });

  it('finds an inline forward in the text of a parsed message', async () => {
    // Prepare
    const raw = await composed({
      from: 'Me <me@example.org>',
      to: 'log+thanks@in.givefirst.test',
      subject: 'Fwd: Re: Intro',
      date: new Date('2026-03-02T10:00:00Z'),
      text: body(
        'Ann came back to me.',
        '',
        '---------- Forwarded message ---------',
        'From: Ann Lee <ann@friends.test>',
        'Date: Mon, Mar 2, 2026 at 10:15 AM',
        'Subject: Re: Intro',
        'To: Me <me@example.org>',
        'Cc: Bob Stone <bob@partner.test>',
        '',
        '',
        'Thanks for the intro! Bob, shall we talk on Thursday?',
      ),
    });

    // Act
    const email = await parse(raw);
    const found = findForwardedMessage(email, 'Europe/Berlin');

    // Assess
    expect(email.attachedMessage).toBeNull();
    expect(found).toMatchObject({
      how: 'inline',
      from: annsReply.from,
      to: annsReply.to,
      cc: annsReply.cc,
      subject: 'Re: Intro',
      date: annsReply.date,
      text: 'Thanks for the intro! Bob, shall we talk on Thursday?',
      messageId: null,
    });
  });
});
