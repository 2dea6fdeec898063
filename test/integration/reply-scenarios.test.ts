import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeDigest } from '#domain/digest.ts';
import type { LoggedMessage, User } from '#domain/model.ts';
import { renderDigest } from '#domain/render-digest.ts';
import type { ThreadContactView, ThreadView } from '#domain/threads.ts';
import { aComposedMessage } from '#test/support/test-dns.ts';
import { startTestStack, type TestStack } from '#test/support/test-stack.ts';

/*
 * Whole conversations replayed as real MIME through the SMTP door and the ingest path, with the
 * ladder judged at chosen moments on the user's calendar (Europe/Berlin). Each message carries its
 * own Date and is received a minute later (a moment is judged only from mail received by then); a
 * Date the stack's fixed clock cannot believe is received at that clock. Threads are computed from
 * every stored message, so a moment is judged before the next message of its scenario is sent.
 *
 * March 2026: Mon 2, Thu 5, Mon 9, Wed 11, Mon 16, Wed 18, Thu 26, Mon 30 (CEST from Sun 29).
 */

const domain = 'in.givefirst.test';
const log = `log@${domain}`;
const mia = 'Mia Park <me@example.com>';

const reasons = {
  firstDue: 'Assume the best: maybe they missed it. Reach out again.',
  lastDue: 'One last friendly nudge.',
};

type Client = 'gmail' | 'outlook' | 'outlook-ios' | 'apple';

interface Mail {
  client?: Client;
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  date: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: string[];
  text: string;
}

const lines = (...text: string[]) => text.join('\n');
const html = (text: string) =>
  `<div dir="ltr">${text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split('\n')
    .join('<br>')}</div>`;

/**
 * A message as the client writes it: Gmail and Outlook send text/plain and text/html alternatives
 * (Outlook with its Thread-Topic and Thread-Index), Apple Mail plain text with its X-Mailer.
 */
function written(mail: Mail): string {
  const client = mail.client ?? 'gmail';
  const boundary = client === 'outlook' ? '_000_DB9PR04MB8412_' : '000000000000a1b2c3d4e5f6';
  const headers = [
    client === 'outlook' ? null : 'MIME-Version: 1.0',
    `From: ${mail.from}`,
    mail.to ? `To: ${mail.to}` : null,
    mail.cc ? `Cc: ${mail.cc}` : null,
    `Subject: ${mail.subject}`,
    `Date: ${mail.date}`,
    mail.messageId ? `Message-ID: ${mail.messageId}` : null,
    mail.references ? `References: ${mail.references}` : null,
    mail.inReplyTo ? `In-Reply-To: ${mail.inReplyTo}` : null,
    ...(client === 'outlook'
      ? [
          `Thread-Topic: ${mail.subject.replace(/^(?:RE|FW|AW|WG):\s*/i, '')}`,
          'Thread-Index: AdqLx2c0b1f6S9wPQm2zq1a7mN3H4A==',
          'Accept-Language: en-US',
          'Content-Language: en-US',
          'X-MS-Has-Attach:',
          'MIME-Version: 1.0',
        ]
      : []),
    ...(client === 'apple'
      ? ['X-Mailer: Apple Mail (2.3774.600.62)', 'Mime-Version: 1.0 (Mac OS X Mail 16.0)']
      : []),
    ...(mail.headers ?? []),
  ].filter((h): h is string => h !== null);
  const text = mail.text.replace(/\r?\n/g, '\r\n');
  if (client === 'outlook-ios') {
    // Outlook for iOS sends HTML only; a forward's header block is bold labels after a rule.
    const body = mail.text
      .split(/\r?\n/)
      .map((line) =>
        line
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/^(From|Sent|To|Cc|Subject):/, '<b>$1:</b>'),
      )
      .join('<br>\r\n')
      .replace(
        /-{5,} ?Forwarded message ?-{5,}<br>/,
        '<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">',
      );
    return `${headers.join('\r\n')}\r\nContent-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div dir="auto">${body}</div></body></html>\r\n`;
  }
  if (client === 'apple') {
    return `${headers.join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n`;
  }
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    html(mail.text),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** The test stack with one registered user in Berlin, and the moves of a conversation. */
function aConversationStack(clock: string) {
  const ctx = {} as { stack: TestStack; me: User };

  beforeAll(async () => {
    ctx.stack = await startTestStack({
      mailDomain: domain,
      clock: `fixed:${clock}`,
      receivedAsDated: true,
    });
    const added = await ctx.stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    ctx.me = added.user;
  });

  afterAll(async () => {
    await ctx.stack?.stop();
  });

  /** The user sends a message with the log address in Bcc (or forwards one to it). */
  const fromMe = (mail: Omit<Mail, 'from'> & { from?: string }) =>
    ctx.stack.sendRaw({ from: 'me@example.com', to: [log] }, written({ from: mia, ...mail }));
  /**
   * A contact's message that reaches the log address because the user had it in Cc; `clock`
   * receives it at the stack's clock, where the listing of recent rejections looks.
   */
  const fromContact = (address: string, mail: Mail, received: 'dated' | 'clock' = 'dated') =>
    ctx.stack.sendRaw({ from: address, to: [log] }, written(mail), received);
  /** The threads with this subject, judged at `asOf`. */
  const threadsAbout = async (subject: string, asOf: string): Promise<ThreadView[]> =>
    (await ctx.stack.services.listThreads(ctx.me, new Date(asOf))).filter(
      (t) => t.subject === subject,
    );
  /** Where the ladder of one contact stands on the one thread with this subject, at `asOf`. */
  const ladder = async (
    subject: string,
    address: string,
    asOf: string,
  ): Promise<ThreadContactView | undefined> => {
    const threads = await threadsAbout(subject, asOf);
    expect(threads.map((t) => t.subject)).toEqual([subject]);
    return threads[0]?.contacts.find((c) => c.address === address);
  };
  const historyOf = async (subject: string, address: string, asOf: string) =>
    (await ladder(subject, address, asOf))?.history.map((e) => e.what);
  const rejectionOf = async (subject: string) =>
    (await ctx.stack.services.store.listRejections({ days: 2, limit: 500 })).find(
      (r) => r.subject === subject,
    );
  const loggedAbout = async (subject: string): Promise<LoggedMessage[]> =>
    (await ctx.stack.services.store.listMessages(ctx.me.userId)).filter(
      (m) => m.subject === subject,
    );

  return { ctx, fromMe, fromContact, threadsAbout, ladder, historyOf, rejectionOf, loggedAbout };
}

describe('the nudge ladder, replayed over SMTP', () => {
  const { fromMe, fromContact, ladder, historyOf } = aConversationStack('2026-05-04T10:00:00Z');

  it('walks waiting, due, nudged once, one last nudge and let go; writing again stays let go; a reply still closes it', async () => {
    const subject = 'Lunch next week?';
    const alice = 'Alice Smith <alice@x.com>';
    const at = (asOf: string) => ladder(subject, 'alice@x.com', asOf);

    // Thursday: the question; 3 business days skip the weekend, so it is due on Tuesday
    await fromMe({
      to: alice,
      subject,
      date: 'Thu, 5 Mar 2026 10:00:00 +0100',
      messageId: '<CAq-lunch@mail.gmail.com>',
      text: lines(
        'Hi Alice,',
        '',
        'Are you free for lunch next week? Tuesday or Thursday would suit me.',
        '',
        'Mia',
      ),
    });
    expect(await at('2026-03-09T22:30:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-03-10',
      nudges: 0,
      reason: null,
    });
    // Monday 23:30 in UTC is already Tuesday in Berlin
    expect(await at('2026-03-09T23:30:00Z')).toMatchObject({
      state: 'due',
      reason: reasons.firstDue,
    });

    // Wednesday, after it was due: the user writes again (quoting their own question)
    await fromMe({
      to: alice,
      subject: `Re: ${subject}`,
      date: 'Wed, 11 Mar 2026 09:00:00 +0100',
      messageId: '<CAnudge1-lunch@mail.gmail.com>',
      inReplyTo: '<CAq-lunch@mail.gmail.com>',
      references: '<CAq-lunch@mail.gmail.com>',
      text: lines(
        'Hi Alice, just bumping this up in case it got buried. Any chance next week works?',
        '',
        'Mia',
        '',
        'On Thu, Mar 5, 2026 at 10:00 AM Mia Park <me@example.com> wrote:',
        '',
        '> Hi Alice,',
        '>',
        '> Are you free for lunch next week? Tuesday or Thursday would suit me.',
        '>',
        '> Mia',
      ),
    });
    expect(await at('2026-03-17T16:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 1,
      dueOn: '2026-03-18',
      reason: null,
    });
    expect(await at('2026-03-18T07:00:00Z')).toMatchObject({
      state: 'due',
      nudges: 1,
      reason: reasons.lastDue,
    });

    // The second nudge: let go once its 5 business days are over
    await fromMe({
      to: alice,
      subject: `Re: ${subject}`,
      date: 'Thu, 19 Mar 2026 09:30:00 +0100',
      messageId: '<CAnudge2-lunch@mail.gmail.com>',
      inReplyTo: '<CAnudge1-lunch@mail.gmail.com>',
      references: '<CAq-lunch@mail.gmail.com> <CAnudge1-lunch@mail.gmail.com>',
      text: 'One last try from me: shall we do lunch another time?\n\nMia',
    });
    expect(await at('2026-03-25T16:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 2,
      dueOn: '2026-03-26',
    });
    expect(await at('2026-03-26T07:00:00Z')).toMatchObject({ state: 'let-go', nudges: 2 });

    // Writing yet again is not a third nudge: it stays let go
    await fromMe({
      to: alice,
      subject: `Re: ${subject}`,
      date: 'Fri, 27 Mar 2026 12:00:00 +0100',
      messageId: '<CAagain-lunch@mail.gmail.com>',
      inReplyTo: '<CAnudge2-lunch@mail.gmail.com>',
      references:
        '<CAq-lunch@mail.gmail.com> <CAnudge1-lunch@mail.gmail.com> <CAnudge2-lunch@mail.gmail.com>',
      text: 'No worries at all if now is not a good time. Shall we try in April?\n\nMia',
    });
    expect(await at('2026-04-08T08:00:00Z')).toMatchObject({
      state: 'let-go',
      nudges: 2,
      reason: null,
    });

    // Alice answers, with the log address still in Cc: the let-go pair is closed
    await fromContact('alice@x.com', {
      from: alice,
      to: mia,
      cc: log,
      subject: `Re: ${subject}`,
      date: 'Mon, 30 Mar 2026 18:05:00 +0200',
      messageId: '<CAalice-answer@mail.gmail.com>',
      inReplyTo: '<CAagain-lunch@mail.gmail.com>',
      references:
        '<CAq-lunch@mail.gmail.com> <CAnudge1-lunch@mail.gmail.com> <CAnudge2-lunch@mail.gmail.com> <CAagain-lunch@mail.gmail.com>',
      text: lines(
        'So sorry, I was travelling! April works: how about the 14th?',
        '',
        'On Fri, Mar 27, 2026 at 12:00 PM Mia Park <me@example.com> wrote:',
        '> No worries at all if now is not a good time. Shall we try in April?',
      ),
    });
    expect(await at('2026-04-08T08:00:00Z')).toMatchObject({ state: 'replied', reason: null });
    expect(await historyOf(subject, 'alice@x.com', '2026-04-08T08:00:00Z')).toEqual([
      'asked; awaiting a reply',
      'nudged once',
      'nudged 2 times',
      'replied (their reply reached the log address in Cc)',
    ]);
  });

  it('restarts the window without a nudge when the user writes again before it is over', async () => {
    const subject = 'Slides for Friday?';
    const bob = 'Bob Jones <bob@y.com>';
    const at = (asOf: string) => ladder(subject, 'bob@y.com', asOf);
    await fromMe({
      client: 'outlook',
      to: bob,
      subject,
      date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      messageId: '<DB9PR04MB8412q-slides@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Bob,\n\nCould you send me the slides for Friday?\n\nThanks,\nMia',
    });
    expect(await at('2026-03-04T12:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-03-05',
    });

    // Wednesday, before Thursday's due date
    await fromMe({
      client: 'outlook',
      to: bob,
      subject: `RE: ${subject}`,
      date: 'Wed, 4 Mar 2026 15:00:00 +0100',
      messageId: '<DB9PR04MB8412more-slides@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      inReplyTo: '<DB9PR04MB8412q-slides@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      references: '<DB9PR04MB8412q-slides@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: lines(
        'One more thing: could you add the Q1 numbers too?',
        '',
        'Mia',
        '',
        '________________________________',
        'From: Mia Park <me@example.com>',
        'Sent: Monday, March 2, 2026 10:00 AM',
        'To: Bob Jones <bob@y.com>',
        'Subject: Slides for Friday?',
        '',
        'Hi Bob,',
        '',
        'Could you send me the slides for Friday?',
      ),
    });
    expect(await at('2026-03-05T12:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 0,
      dueOn: '2026-03-09',
    });
    expect(await at('2026-03-09T07:00:00Z')).toMatchObject({
      state: 'due',
      nudges: 0,
      reason: reasons.firstDue,
    });
    expect(await historyOf(subject, 'bob@y.com', '2026-03-09T07:00:00Z')).toEqual([
      'asked; awaiting a reply',
      'wrote again before the window was over: window restarted',
    ]);
  });
});

describe('reply evidence, as each mail client writes it', () => {
  const { ctx, fromMe, fromContact, threadsAbout, ladder, rejectionOf, loggedAbout } =
    aConversationStack('2026-03-20T12:00:00Z');
  /** Monday's question; due on Thursday 5 March. Judged the Monday after, it is due without a reply. */
  const judgedAt = '2026-03-09T09:00:00Z';
  const ask = async (to: string, subject: string, messageId: string, text: string) => {
    await fromMe({ to, subject, date: 'Mon, 2 Mar 2026 10:00:00 +0100', messageId, text });
    const address = /<([^>]+)>/.exec(to)?.[1] ?? to;
    expect(await ladder(subject, address, '2026-03-03T12:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-03-05',
    });
  };
  const replied = async (subject: string, address: string, how: string) => {
    const pair = await ladder(subject, address, judgedAt);
    expect(pair).toMatchObject({ state: 'replied', reason: null });
    expect(pair?.history.at(-1)?.what).toBe(`replied (${how})`);
  };

  it("closes on the contact's reply Cc'd to the log address, its owner found through In-Reply-To", async () => {
    const subject = 'Dinner in Lisbon?';
    await ask(
      'Carol Diaz <carol@z.com>',
      subject,
      '<CAq-lisbon@mail.gmail.com>',
      'Hi Carol, are you around for dinner when I am in Lisbon?',
    );

    const response = await fromContact('carol@z.com', {
      client: 'apple',
      from: 'Carol Diaz <carol@z.com>',
      to: mia,
      cc: log,
      subject: `Re: ${subject}`,
      date: 'Tue, 3 Mar 2026 08:30:00 +0000',
      messageId: '<8D2E1C7A-3B4F-4E1B-9A7D-2F6C1E0B5A91@z.com>',
      inReplyTo: '<CAq-lisbon@mail.gmail.com>',
      references: '<CAq-lisbon@mail.gmail.com>',
      text: lines(
        'Yes! Wednesday evening?',
        '',
        '> On 2 Mar 2026, at 09:00, Mia Park <me@example.com> wrote:',
        '> ',
        '> Hi Carol, are you around for dinner when I am in Lisbon?',
      ),
    });

    expect(response).toMatch(/logged/);
    await replied(subject, 'carol@z.com', 'their reply reached the log address in Cc');
  });

  it("rejects a stranger's message Cc'd to the log address that answers nothing logged", async () => {
    const subject = 'Re: Your invoice';
    const response = await fromContact(
      'mallory@evil.example',
      {
        from: 'Mallory <mallory@evil.example>',
        to: mia,
        cc: log,
        subject,
        date: 'Tue, 3 Mar 2026 08:30:00 +0000',
        messageId: '<CAmallory@mail.gmail.com>',
        inReplyTo: '<CAnever-logged@mail.gmail.com>',
        text: 'Please pay the attached invoice today.',
      },
      'clock',
    );

    expect(response).toMatch(/rejected/);
    expect(await rejectionOf(subject)).toMatchObject({
      reason: 'unknown-sender',
      from: 'mallory@evil.example',
    });
    expect(await threadsAbout(subject, judgedAt)).toEqual([]);
  });

  it.each([
    {
      client: 'Gmail' as const,
      contact: 'Dan Brown <dan@d.org>',
      subject: 'Could you review my talk?',
      sentAt: '2026-03-03T15:12:59.999Z',
      forward: (subject: string) => ({
        subject: `Fwd: Re: ${subject}`,
        text: lines(
          'Good news, see below.',
          '',
          '---------- Forwarded message ---------',
          'From: Dan Brown <dan@d.org>',
          'Date: Tue, Mar 3, 2026 at 4:12 PM',
          `Subject: Re: ${subject}`,
          'To: Mia Park <me@example.com>',
          '',
          '',
          "Sure, send it over and I'll read it this week.",
          '',
          'On Mon, Mar 2, 2026 at 10:00 AM Mia Park <me@example.com> wrote:',
          '',
          '> Hi Dan, could you review my talk before the conference?',
          '>',
        ),
      }),
    },
    {
      client: 'Outlook' as const,
      contact: 'Erin Cole <erin@e.com>',
      subject: 'Budget numbers?',
      sentAt: '2026-03-03T15:12:59.999Z',
      forward: (subject: string) => ({
        client: 'outlook' as const,
        subject: `FW: RE: ${subject}`,
        text: lines(
          'FYI, Erin answered.',
          '',
          '________________________________',
          'From: Erin Cole <erin@e.com>',
          'Sent: Tuesday, March 3, 2026 4:12 PM',
          'To: Mia Park <me@example.com>',
          `Subject: RE: ${subject}`,
          '',
          'Yes, the numbers are in the shared folder.',
          '',
          '________________________________',
          'From: Mia Park <me@example.com>',
          'Sent: Monday, March 2, 2026 10:00 AM',
          'To: Erin Cole <erin@e.com>',
          `Subject: ${subject}`,
          '',
          'Hi Erin, do you have the budget numbers?',
        ),
      }),
    },
    {
      client: 'Apple Mail' as const,
      contact: 'Frank Li <frank@f.net>',
      subject: 'Dinner on Saturday?',
      sentAt: '2026-03-03T15:12:44.000Z',
      forward: (subject: string) => ({
        client: 'apple' as const,
        subject: `Fwd: Re: ${subject}`,
        text: lines(
          'Frank is in!',
          '',
          'Begin forwarded message:',
          '',
          'From: Frank Li <frank@f.net>',
          `Subject: Re: ${subject}`,
          'Date: 3 March 2026 at 16:12:44 CET',
          'To: Mia Park <me@example.com>',
          '',
          'Count me in!',
          '',
          '> On 2 Mar 2026, at 10:00, Mia Park <me@example.com> wrote:',
          '> ',
          '> Would you like to join us for dinner on Saturday?',
        ),
      }),
    },
  ])(
    "closes on the contact's reply forwarded inline from $client",
    async ({ contact, subject, sentAt, forward }) => {
      const address = /<([^>]+)>/.exec(contact)?.[1] ?? '';
      await ask(contact, subject, `<q-${address}>`, `Hi, ${subject}`);

      const response = await fromMe({
        to: log,
        date: 'Wed, 4 Mar 2026 09:00:00 +0100',
        messageId: `<fwd-${address}>`,
        ...forward(subject),
      });

      expect(response).toMatch(/logged/);
      await replied(subject, address, 'you forwarded their reply');
      const [reply] = (await loggedAbout(`Re: ${subject}`)).concat(
        await loggedAbout(`RE: ${subject}`),
      );
      expect(reply).toMatchObject({
        direction: 'in',
        from: address,
        via: 'forward-inline',
        sentAt,
      });
    },
  );

  it("closes on the contact's reply forwarded as an attached message/rfc822", async () => {
    const subject = 'Quick question about the grant';
    await ask(
      'Gina Rossi <gina@g.it>',
      subject,
      '<CAq-grant@mail.gmail.com>',
      'Hi Gina, is the grant deadline still the 20th?',
    );
    const ginasReply = written({
      client: 'outlook',
      from: 'Gina Rossi <gina@g.it>',
      to: mia,
      subject: `RE: ${subject}`,
      date: 'Tue, 3 Mar 2026 14:02:11 +0000',
      messageId: '<AM0PR07MB6211gina@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      inReplyTo: '<CAq-grant@mail.gmail.com>',
      references: '<CAq-grant@mail.gmail.com>',
      text: 'Yes, still the 20th.\n\nGina',
    });

    const response = await ctx.stack.sendRaw(
      { from: 'me@example.com', to: [log] },
      await aComposedMessage({
        from: mia,
        to: log,
        subject: `Fwd: RE: ${subject}`,
        date: new Date('2026-03-04T08:00:00Z'),
        messageId: '<CAfwd-grant@mail.gmail.com>',
        text: "Forwarding Gina's answer.",
        attachments: [
          {
            contentType: 'message/rfc822',
            filename: `RE ${subject}.eml`,
            content: ginasReply,
          },
        ],
      }),
    );

    expect(response).toMatch(/logged/);
    await replied(subject, 'gina@g.it', 'you forwarded their reply');
    expect(
      await ctx.stack.storedMessage(
        ctx.me.userId,
        '<AM0PR07MB6211gina@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      ),
    ).toMatchObject({
      direction: 'in',
      via: 'forward-attached',
      sentAt: '2026-03-03T14:02:11.000Z',
    });
  });

  it.each([
    {
      form: 'Gmail "On … wrote:", wrapped over two lines',
      contact: 'Hana Ito <hana@h.jp>',
      subject: 'Dinner Thursday?',
      client: 'gmail' as const,
      reply: lines(
        'Thanks Hana, see you then!',
        '',
        'On Tue, Mar 3, 2026 at 4:12 PM Hana Ito <hana@h.jp>',
        'wrote:',
        '',
        '> Yes, Thursday at 7 works.',
        '>',
        '> On Mon, Mar 2, 2026 at 10:00 AM Mia Park <me@example.com> wrote:',
        '>',
        '>> Dinner Thursday?',
      ),
    },
    {
      form: 'Outlook "From: … Sent: …"',
      contact: 'Ivan Petrov <ivan@i.io>',
      subject: 'Access to the staging server?',
      client: 'outlook' as const,
      reply: lines(
        'Thanks Ivan, that helps a lot.',
        '',
        'Mia',
        '',
        '________________________________',
        'From: Ivan Petrov <ivan@i.io>',
        'Sent: Tuesday, March 3, 2026 4:12 PM',
        'To: Mia Park <me@example.com>',
        'Subject: RE: Access to the staging server?',
        '',
        'Done, you should have access now.',
      ),
    },
    {
      form: 'German "Am … schrieb …:"',
      contact: 'Jana Weber <jana@j.de>',
      subject: 'Unterlagen für Donnerstag?',
      client: 'gmail' as const,
      reply: lines(
        'Danke dir, Jana!',
        '',
        'Am Di., 3. März 2026 um 16:12 Uhr schrieb Jana Weber <jana@j.de>:',
        '',
        '> Klar, ich schicke dir die Unterlagen morgen.',
        '>',
      ),
    },
  ])(
    "closes on the topmost attribution in the user's next message: $form",
    async ({ contact, subject, client, reply }) => {
      const address = /<([^>]+)>/.exec(contact)?.[1] ?? '';
      await ask(contact, subject, `<q-${address}>`, `Hi, ${subject}`);

      await fromMe({
        client,
        to: contact,
        subject: `Re: ${subject}`,
        date: 'Wed, 4 Mar 2026 09:00:00 +0100',
        messageId: `<thanks-${address}>`,
        inReplyTo: `<their-answer-${address}>`,
        references: `<q-${address}> <their-answer-${address}>`,
        text: reply,
      });

      const pair = await ladder(subject, address, judgedAt);
      expect(pair).toMatchObject({ state: 'replied' });
      expect(pair?.history.at(-1)?.what).toMatch(/^replied \(your message quotes their reply/);
    },
  );

  it('closes on a new Message-ID the user answers and never sent, when one person is awaited', async () => {
    const subject = 'Book recommendation?';
    await ask(
      'Liam Byrne <liam@l.ie>',
      subject,
      '<CAq-book@mail.gmail.com>',
      'Hi Liam, any book you would recommend for the flight?',
    );

    await fromMe({
      to: 'Liam Byrne <liam@l.ie>',
      subject: `Re: ${subject}`,
      date: 'Wed, 4 Mar 2026 09:00:00 +0100',
      messageId: '<CAthanks-book@mail.gmail.com>',
      inReplyTo: '<CAliam-answer@mail.gmail.com>',
      references: '<CAq-book@mail.gmail.com> <CAliam-answer@mail.gmail.com>',
      text: 'Perfect, thanks Liam! Ordered it.',
    });

    await replied(
      subject,
      'liam@l.ie',
      'your message answers a message of theirs you had not logged',
    );
  });

  it('logs the user forwarding their own sent mail (they forgot to Bcc) as outgoing, with its original date', async () => {
    const subject = 'Intro call next week?';

    const response = await fromMe({
      to: log,
      subject: `Fwd: ${subject}`,
      date: 'Wed, 4 Mar 2026 09:00:00 +0100',
      messageId: '<CAfwd-own@mail.gmail.com>',
      text: lines(
        '---------- Forwarded message ---------',
        'From: Mia Park <me@example.com>',
        'Date: Mon, Mar 2, 2026 at 10:00 AM',
        `Subject: ${subject}`,
        'To: Nora Quinn <nora@n.com>',
        '',
        '',
        'Hi Nora, would you be open to a short call next week?',
        '',
        'Mia',
      ),
    });

    expect(response).toMatch(/logged/);
    expect(await loggedAbout(subject)).toMatchObject([
      {
        direction: 'out',
        via: 'forward-inline',
        sentAt: '2026-03-02T09:00:00.000Z',
        dateSource: 'header',
        contacts: [{ address: 'nora@n.com', role: 'to', awaited: true }],
      },
    ]);
    expect(await ladder(subject, 'nora@n.com', '2026-03-04T12:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-03-05',
    });
    expect(await ladder(subject, 'nora@n.com', '2026-03-05T08:00:00Z')).toMatchObject({
      state: 'due',
    });
  });
});

describe('bad input on tracked threads', () => {
  const { ctx, fromMe, fromContact, threadsAbout, ladder, historyOf, rejectionOf, loggedAbout } =
    aConversationStack('2026-08-03T12:00:00Z');
  const receivedAt = '2026-08-03T12:00:00.000Z';
  const ask = (to: string, subject: string, messageId: string, text = `Hi, ${subject}`) =>
    fromMe({ to, subject, date: 'Mon, 2 Mar 2026 10:00:00 +0100', messageId, text });
  /** A reply the user forwards from Gmail to the log address alone. */
  const gmailForward = (subject: string, date: string, inner: string[]) =>
    fromMe({
      to: log,
      subject: `Fwd: ${subject}`,
      date,
      messageId: `<CAfwd-${subject.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@mail.gmail.com>`,
      text: lines('', '---------- Forwarded message ---------', ...inner),
    });

  it('joins a follow-up without In-Reply-To or References to the open thread by subject', async () => {
    const subject = 'Venue for the offsite?';
    await ask('Olga Berg <olga@o.se>', subject, '<CAq-venue@mail.gmail.com>');

    await fromMe({
      client: 'outlook',
      to: 'Olga Berg <olga@o.se>',
      subject: `RE: ${subject}`,
      date: 'Wed, 11 Mar 2026 09:00:00 +0100',
      messageId: '<DB9PR04MB8412venue@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Olga, just following up: did you get a chance to look at this?\n\nMia',
    });

    const [thread] = await threadsAbout(subject, '2026-03-12T09:00:00Z');
    expect(thread).toMatchObject({ messages: 2 });
    expect(await ladder(subject, 'olga@o.se', '2026-03-12T09:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 1,
      dueOn: '2026-03-18',
    });
  });

  it('joins follow-ups with garbled References each to its own open thread by subject', async () => {
    // A broken client writes the same non-id into every message: it must not join them together
    const conversations = [
      { to: 'Paula Maas <paula@p.nl>', address: 'paula@p.nl', subject: 'Hotel booking?' },
      { to: 'Quincy Hale <quincy@q.us>', address: 'quincy@q.us', subject: 'Parking permit?' },
    ];
    for (const { to, address, subject } of conversations) {
      await ask(to, subject, `<CAq-${address}>`);
      await fromMe({
        to,
        subject: `Re: ${subject}`,
        date: 'Wed, 11 Mar 2026 09:00:00 +0100',
        messageId: `<CAnudge-${address}>`,
        inReplyTo: '(none)',
        references: 'undefined',
        text: 'Just checking in on this one: any news?',
      });
    }

    for (const { address, subject } of conversations) {
      const [thread] = await threadsAbout(subject, '2026-03-12T09:00:00Z');
      expect(thread?.messages).toBe(2);
      expect(thread?.contacts).toMatchObject([{ address, state: 'waiting', nudges: 1 }]);
    }
  });

  it('joins a follow-up whose only link is a reply never logged to the open thread by subject', async () => {
    // Pete answered the user alone; the user's client writes In-Reply-To but no References
    const subject = 'Train tickets?';
    await ask('Pete Smit <pete@p.nl>', subject, '<CAq-tickets@mail.gmail.com>');

    await fromMe({
      client: 'apple',
      to: 'Pete Smit <pete@p.nl>',
      subject: `Re: ${subject}`,
      date: 'Wed, 4 Mar 2026 09:00:00 +0100',
      messageId: '<5A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9@example.com>',
      inReplyTo: '<CAF8x1pete-answer@mail.gmail.com>',
      text: 'Thanks Pete, that works for me.',
    });

    const [thread] = await threadsAbout(subject, '2026-03-09T09:00:00Z');
    expect(thread?.messages).toBe(2);
    expect(thread?.contacts).toMatchObject([{ address: 'pete@p.nl', state: 'replied', nudges: 0 }]);
  });

  it('starts a second thread when the same subject is reused for a new conversation months later', async () => {
    const subject = 'Coffee?';
    await ask('Rosa Vidal <rosa@r.es>', subject, '<CAq-coffee-march@mail.gmail.com>');

    await fromMe({
      to: 'Rosa Vidal <rosa@r.es>',
      subject,
      date: 'Mon, 6 Jul 2026 10:00:00 +0200',
      messageId: '<CAq-coffee-july@mail.gmail.com>',
      text: 'Hi Rosa, coffee next week?',
    });

    const threads = await threadsAbout(subject, '2026-07-07T09:00:00Z');
    expect(threads.map((t) => [t.firstAt, t.messages])).toEqual([
      ['2026-07-06T08:00:00.000Z', 1],
      ['2026-03-02T09:00:00.000Z', 1],
    ]);
    expect(threads[0]?.contacts).toMatchObject([
      { address: 'rosa@r.es', state: 'waiting', dueOn: '2026-07-09', nudges: 0 },
    ]);
  });

  it('takes no reply from a quoted attribution that names someone else', async () => {
    // Sara is asked, Tom is in Cc; Tom answers the user alone, and the user thanks Tom, Sara in Cc
    const subject = 'Speakers for the meetup?';
    await fromMe({
      to: 'Sara Holm <sara@s.dk>',
      cc: 'Tom Reed <tom@t.uk>',
      subject,
      date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      messageId: '<CAq-speakers@mail.gmail.com>',
      text: 'Hi Sara, could you suggest two speakers for the meetup? Tom, FYI.',
    });

    await fromMe({
      to: 'Tom Reed <tom@t.uk>',
      cc: 'Sara Holm <sara@s.dk>',
      subject: `Re: ${subject}`,
      date: 'Wed, 4 Mar 2026 09:00:00 +0100',
      messageId: '<CAthanks-tom@mail.gmail.com>',
      inReplyTo: '<CAtom-answer@mail.gmail.com>',
      references: '<CAq-speakers@mail.gmail.com> <CAtom-answer@mail.gmail.com>',
      text: lines(
        'Thanks Tom, that is really useful.',
        '',
        'On Tue, Mar 3, 2026 at 4:12 PM Tom Reed <tom@t.uk> wrote:',
        '',
        '> Happy to speak myself if Sara agrees.',
      ),
    });

    expect(await ladder(subject, 'sara@s.dk', '2026-03-09T09:00:00Z')).toMatchObject({
      state: 'due',
      reason: reasons.firstDue,
    });
  });

  it("takes no reply from the user's own earlier message quoted in their follow-up", async () => {
    const subject = 'Feedback on the draft?';
    await ask('Uwe Kranz <uwe@u.at>', subject, '<CAq-draft@mail.gmail.com>');

    await fromMe({
      to: 'Uwe Kranz <uwe@u.at>',
      subject: `Re: ${subject}`,
      date: 'Wed, 11 Mar 2026 09:00:00 +0100',
      messageId: '<CAnudge-draft@mail.gmail.com>',
      inReplyTo: '<CAq-draft@mail.gmail.com>',
      references: '<CAq-draft@mail.gmail.com>',
      text: lines(
        'Hi Uwe, just checking in on this one.',
        '',
        'On Mon, Mar 2, 2026 at 10:00 AM Mia Park <me@example.com> wrote:',
        '',
        `> Hi, ${subject}`,
      ),
    });

    expect(await historyOf(subject, 'uwe@u.at', '2026-03-12T09:00:00Z')).toEqual([
      'asked; awaiting a reply',
      'nudged once',
    ]);
  });

  it("takes no reply from the contact's attribution dated before the question", async () => {
    // The question answered Vera's February message; the follow-up quotes that one again
    const subject = 'Workshop dates';
    await fromMe({
      to: 'Vera Novak <vera@v.cz>',
      subject: `Re: ${subject}`,
      date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      messageId: '<CAq-workshop@mail.gmail.com>',
      inReplyTo: '<CAvera-february@mail.gmail.com>',
      references: '<CAvera-february@mail.gmail.com>',
      text: 'Hi Vera, which of these dates works for you?',
    });

    await fromMe({
      to: 'Vera Novak <vera@v.cz>',
      subject: `Re: ${subject}`,
      date: 'Wed, 11 Mar 2026 09:00:00 +0100',
      messageId: '<CAnudge-workshop@mail.gmail.com>',
      inReplyTo: '<CAvera-february@mail.gmail.com>',
      references: '<CAvera-february@mail.gmail.com>',
      text: lines(
        'Hi Vera, any preference for the dates?',
        '',
        'On Fri, Feb 20, 2026 at 3:00 PM Vera Novak <vera@v.cz> wrote:',
        '',
        '> Shall we plan the workshop for April?',
      ),
    });

    expect(await ladder(`Re: ${subject}`, 'vera@v.cz', '2026-03-12T09:00:00Z')).toMatchObject({
      state: 'waiting',
      nudges: 1,
    });
  });

  it('closes only the one of three who answered a group thread', async () => {
    const subject = 'Team dinner on the 12th?';
    const group = 'Ana Ruiz <ana@a.mx>, Ben Okafor <ben@b.ng>, Cai Lin <cai@c.cn>';
    await ask(group, subject, '<CAq-team@mail.gmail.com>');

    await fromContact('ben@b.ng', {
      client: 'outlook',
      from: 'Ben Okafor <ben@b.ng>',
      to: mia,
      cc: `Ana Ruiz <ana@a.mx>, Cai Lin <cai@c.cn>, ${log}`,
      subject: `RE: ${subject}`,
      date: 'Tue, 3 Mar 2026 11:00:00 +0000',
      messageId: '<AM0PR07MB6211ben@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      inReplyTo: '<CAq-team@mail.gmail.com>',
      references: '<CAq-team@mail.gmail.com>',
      text: 'Count me in.\n\nBen',
    });
    // The user then answers Cai's reply, which was never logged: an unknown ID alone names no one
    await fromMe({
      to: 'Ana Ruiz <ana@a.mx>, Cai Lin <cai@c.cn>',
      cc: 'Ben Okafor <ben@b.ng>',
      subject: `Re: ${subject}`,
      date: 'Tue, 10 Mar 2026 09:00:00 +0100',
      messageId: '<CAthanks-team@mail.gmail.com>',
      inReplyTo: '<CAcai-answer@mail.gmail.com>',
      references: '<CAq-team@mail.gmail.com> <CAcai-answer@mail.gmail.com>',
      text: 'Great! Are you two in as well?',
    });

    const [thread] = await threadsAbout(subject, '2026-03-11T09:00:00Z');
    expect(thread?.contacts.map((c) => [c.address, c.state, c.nudges])).toEqual([
      ['ana@a.mx', 'waiting', 1],
      ['ben@b.ng', 'replied', 0],
      ['cai@c.cn', 'waiting', 1],
    ]);
  });

  it.each([
    ['mailing-list', 'List-Id: Meetup organisers <organisers.lists.example.org>'],
    ['auto-reply', 'Auto-Submitted: auto-replied'],
  ])(
    "rejects %s mail Cc'd to the log address on a tracked thread, never as a reply",
    async (reason, header) => {
      const subject = `Sponsors for the meetup (${reason})?`;
      await ask('Wes Hart <wes@w.ca>', subject, `<CAq-sponsors-${reason}@mail.gmail.com>`);

      const response = await fromContact(
        'wes@w.ca',
        {
          from: 'Wes Hart <wes@w.ca>',
          to: mia,
          cc: log,
          subject: `Re: ${subject}`,
          date: 'Tue, 3 Mar 2026 11:00:00 +0000',
          messageId: `<CAwes-${reason}@mail.gmail.com>`,
          inReplyTo: `<CAq-sponsors-${reason}@mail.gmail.com>`,
          references: `<CAq-sponsors-${reason}@mail.gmail.com>`,
          headers: [header],
          text: 'Thanks for your message, it has been received.',
        },
        'clock',
      );

      expect(response).toMatch(/rejected/);
      expect(await rejectionOf(`Re: ${subject}`)).toMatchObject({ reason });
      expect(await ladder(subject, 'wes@w.ca', '2026-03-09T09:00:00Z')).toMatchObject({
        state: 'due',
      });
    },
  );

  it.each([
    {
      case: 'with a return date: due the first business day after it',
      name: 'Xena Wolf',
      address: 'xena@w.org',
      text: 'Thank you for your message. I am out of the office until Friday, 13 March 2026 with limited access to email. For urgent matters, please contact office@w.org.',
      before: { asOf: '2026-03-13T12:00:00Z', state: 'waiting', dueOn: '2026-03-16' },
      after: {
        asOf: '2026-03-16T07:00:00Z',
        awayUntil: '2026-03-13',
        reason: `${reasons.firstDue} They were away until 13 March.`,
      },
    },
    {
      case: 'with no date: due unchanged',
      name: 'Yuki Sato',
      address: 'yuki@y.jp',
      text: "I'm currently out of the office with limited access to email and will respond on my return.",
      before: { asOf: '2026-03-04T12:00:00Z', state: 'waiting', dueOn: '2026-03-05' },
      after: { asOf: '2026-03-05T07:00:00Z', awayUntil: null, reason: reasons.firstDue },
    },
    {
      case: 'with a date in the past: ignored',
      name: 'Zoe Adams',
      address: 'zoe@z.nz',
      text: 'I am out of the office until 20 February 2026 with limited access to email.',
      before: { asOf: '2026-03-04T12:00:00Z', state: 'waiting', dueOn: '2026-03-05' },
      after: { asOf: '2026-03-05T07:00:00Z', awayUntil: null, reason: reasons.firstDue },
    },
  ])(
    'reads an out-of-office the user forwarded inline, $case',
    async ({ name, address, text, before, after }) => {
      const subject = `Project kickoff with ${name.split(' ')[0]}?`;
      await ask(`${name} <${address}>`, subject, `<CAq-kickoff-${address}>`);

      const response = await gmailForward(
        `Automatic reply: ${subject}`,
        'Mon, 2 Mar 2026 11:00:00 +0100',
        [
          `From: ${name} <${address}>`,
          'Date: Mon, Mar 2, 2026 at 10:01 AM',
          `Subject: Automatic reply: ${subject}`,
          'To: Mia Park <me@example.com>',
          '',
          '',
          text,
        ],
      );

      expect(response).toMatch(/logged/);
      expect(await ladder(subject, address, before.asOf)).toMatchObject({
        state: before.state,
        dueOn: before.dueOn,
      });
      expect(await ladder(subject, address, after.asOf)).toMatchObject({
        state: 'due',
        awayUntil: after.awayUntil,
        reason: after.reason,
      });
      expect((await historyOf(subject, address, after.asOf))?.at(-1)).toMatch(/^out of office/);
    },
  );

  it('reads "back on the 3rd" in a forwarded out-of-office as the next 3rd', async () => {
    // Friday 27 March: without the out-of-office it would be due on Wednesday 1 April
    const subject = 'Review the draft contract?';
    await fromMe({
      to: 'Abby Stone <abby@s.ie>',
      subject,
      date: 'Fri, 27 Mar 2026 10:00:00 +0100',
      messageId: '<CAq-contract@mail.gmail.com>',
      text: 'Hi Abby, could you review the draft contract?',
    });

    await gmailForward(`Re: ${subject}`, 'Fri, 27 Mar 2026 12:00:00 +0100', [
      'From: Abby Stone <abby@s.ie>',
      'Date: Fri, Mar 27, 2026 at 10:02 AM',
      `Subject: Re: ${subject}`,
      'To: Mia Park <me@example.com>',
      '',
      '',
      "Hi, I'm away on holiday and back on the 3rd.",
    ]);

    expect(await ladder(subject, 'abby@s.ie', '2026-04-02T10:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-04-06',
      awayUntil: '2026-04-03',
    });
    expect(await ladder(subject, 'abby@s.ie', '2026-04-06T07:00:00Z')).toMatchObject({
      state: 'due',
      reason: `${reasons.firstDue} They were away until 3 April.`,
    });
  });

  it.each([
    ['in the future', 'Sat, 1 Jan 2039 09:00:00 +0100', 'bea@b.be'],
    ['decades ago', 'Thu, 01 Jan 1970 00:00:00 +0000', 'cora@c.be'],
  ])('clamps a message dated %s to the receipt time', async (_, date, address) => {
    const messageId = `<CAclamped-${address}>`;
    const subject = `Agenda for the board (${address})?`;

    await fromMe({ to: address, subject, date, messageId, text: 'Could you send the agenda?' });

    expect(await ctx.stack.storedMessage(ctx.me.userId, messageId)).toMatchObject({
      sentAt: receivedAt,
      dateSource: 'clamped',
    });
    // Monday 3 August plus 3 business days
    expect(await ladder(subject, address, '2026-08-04T09:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-08-06',
    });
  });

  it('counts the same reply arriving both Cc’d and forwarded as one event', async () => {
    const subject = 'Room for Thursday?';
    await ask('Cole Moss <cole@m.au>', subject, '<CAq-room@mail.gmail.com>');
    const reply = {
      client: 'outlook' as const,
      from: 'Cole Moss <cole@m.au>',
      to: mia,
      cc: log,
      subject: `RE: ${subject}`,
      date: 'Tue, 3 Mar 2026 15:12:00 +0000',
      messageId: '<AM0PR07MB6211cole@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      inReplyTo: '<CAq-room@mail.gmail.com>',
      references: '<CAq-room@mail.gmail.com>',
      text: 'Booked room 4 for you.\n\nCole',
    };

    await fromContact('cole@m.au', reply);
    await gmailForward(`RE: ${subject}`, 'Wed, 4 Mar 2026 09:00:00 +0100', [
      'From: Cole Moss <cole@m.au>',
      'Date: Tue, Mar 3, 2026 at 4:12 PM',
      `Subject: RE: ${subject}`,
      'To: Mia Park <me@example.com>',
      '',
      '',
      'Booked room 4 for you.',
      '',
      'Cole',
    ]);
    const attachedAgain = await ctx.stack.sendRaw(
      { from: 'me@example.com', to: [log] },
      await aComposedMessage({
        from: mia,
        to: log,
        subject: `Fwd: RE: ${subject}`,
        date: new Date('2026-03-04T09:00:00Z'),
        messageId: '<CAfwd-attached-room@mail.gmail.com>',
        text: 'Cole booked it.',
        attachments: [{ contentType: 'message/rfc822', content: written(reply) }],
      }),
    );

    expect(attachedAgain).toMatch(/duplicate/);
    expect(await loggedAbout(`RE: ${subject}`)).toHaveLength(2);
    // Both copies carry the same instant: either may be the one event, never both
    expect(await historyOf(subject, 'cole@m.au', '2026-03-09T09:00:00Z')).toEqual([
      'asked; awaiting a reply',
      expect.stringMatching(
        /^replied \((?:their reply reached the log address in Cc|you forwarded their reply)\)$/,
      ),
    ]);
  });
});

describe('the same sent mail, Bcc-ed and forwarded inline', () => {
  const { ctx, fromMe, threadsAbout } = aConversationStack('2026-03-04T12:00:00Z');

  const bccd = (subject: string, [nora, piet]: string[]) =>
    fromMe({
      to: `Nora Quinn <${nora}>`,
      cc: `Piet Berg <${piet}>`,
      subject,
      date: 'Mon, 2 Mar 2026 10:00:27 +0100',
      messageId: `<CA-${subject.replace(/\W+/g, '-')}@mail.gmail.com>`,
      text: 'Hi Nora, would you be open to a short call next week?',
    });
  const forwardedInline = (subject: string, [nora, piet]: string[]) =>
    fromMe({
      to: log,
      subject: `Fwd: ${subject}`,
      date: 'Wed, 4 Mar 2026 09:00:00 +0100',
      messageId: `<CAfwd-${subject.replace(/\W+/g, '-')}@mail.gmail.com>`,
      text: lines(
        '---------- Forwarded message ---------',
        'From: Mia Park <me@example.com>',
        'Date: Mon, Mar 2, 2026 at 10:00 AM',
        `Subject: ${subject}`,
        `To: Nora Quinn <${nora}>`,
        `Cc: Piet Berg <${piet}>`,
        '',
        '',
        'Hi Nora, would you be open to a short call next week?',
        '',
        'Mia',
      ),
    });
  /** What the user sees of that mail: its threads, and the touches out in the ledger. */
  const seen = async (subject: string, people: string[]) => {
    const asOf = '2026-03-04T12:00:00Z';
    const threads = await threadsAbout(subject, asOf);
    const { ledger } = await ctx.stack.services.relationships(ctx.me, new Date(asOf));
    const touchesOut = Object.fromEntries(
      ledger.filter((l) => people.includes(l.address)).map((l) => [l.address, l.touchesOut]),
    );
    return { threads: threads.length, messages: threads[0]?.messages, touchesOut };
  };

  it('is one message when the Bcc-ed copy came first', async () => {
    const subject = 'Call next week, Bcc first?';
    const people = ['nora@n.com', 'piet@p.nl'];

    expect(await bccd(subject, people)).toMatch(/logged/);
    await forwardedInline(subject, people);

    expect(await seen(subject, people)).toMatchObject({
      threads: 1,
      messages: 1,
      touchesOut: { 'nora@n.com': 1, 'piet@p.nl': 1 },
    });
  });

  it('is one message, the Bcc-ed copy, when the inline forward came first', async () => {
    const subject = 'Call next week, forward first?';
    const people = ['nora@q.com', 'piet@q.nl'];

    expect(await forwardedInline(subject, people)).toMatch(/logged/);
    expect(await bccd(subject, people)).toMatch(/logged/);

    expect(await seen(subject, people)).toMatchObject({
      threads: 1,
      messages: 1,
      touchesOut: { 'nora@q.com': 1, 'piet@q.nl': 1 },
    });
  });
});

describe("judgement on a founder's mail", () => {
  const { ctx, fromMe, fromContact, ladder, historyOf } =
    aConversationStack('2026-12-31T10:00:00Z');
  const helpAt = async (asOf: string) =>
    (await ctx.stack.services.relationships(ctx.me, new Date(asOf))).helpFirst.items;
  const digestAt = async (asOf: string) => {
    const now = new Date(asOf);
    const relationships = await ctx.stack.services.relationships(ctx.me, now);
    return composeDigest({ user: ctx.me, relationships, now });
  };

  it('reads a Gmail-forwarded Exchange out-of-office given to the minute (narrow space before AM) as the answer to a question sent 47 s earlier', async () => {
    // Monday 9 November, 10:00:47 in Berlin: due on Thursday 12 without the out-of-office
    const subject = 'Board deck for Thursday?';
    await fromMe({
      client: 'outlook',
      to: 'Raj Mehta <raj@northwind.example>',
      subject,
      date: 'Mon, 9 Nov 2026 10:00:47 +0100',
      messageId: '<DB9PR04MB8412deck@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Raj,\n\nCould you review the board deck before Thursday?\n\nMia',
    });

    const response = await fromMe({
      to: log,
      subject: `Fwd: Automatic reply: ${subject}`,
      date: 'Mon, 9 Nov 2026 10:20:00 +0100',
      messageId: '<CAfwd-ooo-deck@mail.gmail.com>',
      text: lines(
        '',
        '---------- Forwarded message ---------',
        'From: Raj Mehta <raj@northwind.example>',
        'Date: Mon, Nov 9, 2026 at 10:00\u202fAM',
        `Subject: Automatic reply: ${subject}`,
        'To: Mia Park <me@example.com>',
        '',
        '',
        'Thank you for your email. I am out of the office and will return on Monday 23 November with limited access to email.',
      ),
    });

    expect(response).toMatch(/logged/);
    // Still waiting on Thursday 12: the due date moved to the first business day after the 23rd
    expect(await ladder(subject, 'raj@northwind.example', '2026-11-12T09:00:00Z')).toMatchObject({
      state: 'waiting',
      dueOn: '2026-11-24',
      awayUntil: '2026-11-23',
    });
    // One person and thread is one item: the open ask says the reply is due too.
    const raj = (await digestAt('2026-11-24T07:00:00Z'))?.items.filter(
      (i) => i.address === 'raj@northwind.example',
    );
    expect(raj).toHaveLength(1);
    expect(raj?.[0]?.reason).toContain(`${reasons.firstDue} They were away until 23 November.`);
  });

  it('closes the wait as answered elsewhere when the user writes "thanks for the call" after it was due, and owes no favour for courtesy', async () => {
    const subject = 'Pilot in January?';
    const tom = 'Tom Okafor <tom@acme.example>';
    await fromMe({
      to: tom,
      subject,
      date: 'Mon, 2 Nov 2026 09:00:00 +0100',
      messageId: '<CAq-pilot@mail.gmail.com>',
      text: 'Hi Tom,\n\nWould you be open to a pilot in January?\n\nMia',
    });
    // Due Thursday 5; they talk on the phone; on Monday 9 the user writes a thank-you on the thread
    await fromMe({
      to: tom,
      subject: `Re: ${subject}`,
      date: 'Mon, 9 Nov 2026 18:30:00 +0100',
      messageId: '<CAthanks-pilot@mail.gmail.com>',
      inReplyTo: '<CAq-pilot@mail.gmail.com>',
      references: '<CAq-pilot@mail.gmail.com>',
      text: lines(
        'Hi Tom,',
        '',
        'Thanks for the call earlier, and thanks for making time at such short notice.',
        '',
        'Mia',
        '',
        'On Mon, Nov 2, 2026 at 9:00\u202fAM Mia Park <me@example.com> wrote:',
        '> Hi Tom,',
        '>',
        '> Would you be open to a pilot in January?',
      ),
    });

    expect(await ladder(subject, 'tom@acme.example', '2026-11-20T09:00:00Z')).toMatchObject({
      state: 'replied',
      nudges: 0,
      reason: null,
    });
    expect((await historyOf(subject, 'tom@acme.example', '2026-11-20T09:00:00Z'))?.at(-1)).toMatch(
      /^answered elsewhere/,
    );
    expect(
      (await helpAt('2026-11-10T09:00:00Z')).filter(
        (i) => i.address === 'tom@acme.example' && i.kind === 'favour-owed',
      ),
    ).toEqual([]);
  });

  it('learns no four-day rhythm from a burst of scheduling mail on one thread', async () => {
    const subject = 'Dinner in Lyon?';
    const ines = 'Ines Roux <ines@roux.example>';
    const ids = ['<CAlyon-1@mail.gmail.com>', '<ines-1@roux.example>', '<CAlyon-2@mail.gmail.com>'];
    await fromMe({
      to: ines,
      subject,
      date: 'Mon, 5 Oct 2026 09:00:00 +0200',
      messageId: ids[0],
      text: 'Ines, are you free for dinner in Lyon on the 14th?',
    });
    await fromContact('ines@roux.example', {
      from: ines,
      to: mia,
      cc: log,
      subject: `Re: ${subject}`,
      date: 'Wed, 7 Oct 2026 09:00:00 +0200',
      messageId: ids[1],
      inReplyTo: ids[0],
      references: ids[0],
      text: 'Yes! Which restaurant?',
    });
    await fromMe({
      to: ines,
      subject: `Re: ${subject}`,
      date: 'Fri, 9 Oct 2026 09:00:00 +0200',
      messageId: ids[2],
      inReplyTo: ids[1],
      references: `${ids[0]} ${ids[1]}`,
      text: 'How about Le Bouchon at 8?',
    });
    await fromContact('ines@roux.example', {
      from: ines,
      to: mia,
      cc: log,
      subject: `Re: ${subject}`,
      date: 'Tue, 13 Oct 2026 09:00:00 +0200',
      messageId: '<ines-2@roux.example>',
      inReplyTo: ids[2],
      references: ids.join(' '),
      text: 'Perfect, see you there.',
    });

    const ledger = (
      await ctx.stack.services.relationships(ctx.me, new Date('2026-11-06T09:00:00Z'))
    ).ledger.find((l) => l.address === 'ines@roux.example');
    expect(ledger).toMatchObject({ cadenceDays: 90, goingQuiet: false });
    expect(
      (await helpAt('2026-11-06T09:00:00Z')).filter((i) => i.address === 'ines@roux.example'),
    ).toEqual([]);
  });

  it('judges a past moment from the mail sent and received by then: no nudges from later days', async () => {
    const subject = 'Seed round intro?';
    const kim = 'Kim Lau <kim@lau.example>';
    const first = '<CAq-seed@mail.gmail.com>';
    await fromMe({
      to: kim,
      subject,
      date: 'Thu, 1 Oct 2026 09:00:00 +0200',
      messageId: first,
      text: 'Hi Kim, could you introduce me to Ana at Fieldstone?',
    });
    for (const [date, id] of [
      ['Tue, 13 Oct 2026 09:00:00 +0200', '<CAnudge1-seed@mail.gmail.com>'],
      ['Wed, 21 Oct 2026 09:00:00 +0200', '<CAnudge2-seed@mail.gmail.com>'],
    ] as const) {
      await fromMe({
        to: kim,
        subject: `Re: ${subject}`,
        date,
        messageId: id,
        inReplyTo: first,
        references: first,
        text: 'Hi Kim, any chance you could make that intro?',
      });
    }

    expect(await ladder(subject, 'kim@lau.example', '2026-10-07T09:00:00Z')).toMatchObject({
      state: 'due',
      nudges: 0,
      reason: reasons.firstDue,
    });
    expect(await ladder(subject, 'kim@lau.example', '2026-10-22T09:00:00Z')).toMatchObject({
      nudges: 2,
    });
  });

  it('says a bounce forwarded from Outlook for iOS is news, never nudges it, and leaves it out once the same person writes from a new address', async () => {
    const subject = 'Advisory board?';
    const old = 'Priya Nair <priya@oldco.example>';
    await fromMe({
      to: old,
      subject,
      date: 'Mon, 16 Nov 2026 09:00:00 +0100',
      messageId: '<CAq-board@mail.gmail.com>',
      text: 'Hi Priya, would you be willing to join our advisory board?',
    });
    const forwarded = await fromMe({
      client: 'outlook-ios',
      to: log,
      subject: 'Fwd: Delivery Status Notification (Failure)',
      date: 'Mon, 16 Nov 2026 09:30:00 +0100',
      messageId: '<AM0PR07MB6211bounce@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      text: lines(
        'FYI',
        '',
        '---------- Forwarded message ---------',
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'Sent: Monday, November 16, 2026 9:00:05 AM',
        'To: Mia Park <me@example.com>',
        'Subject: Delivery Status Notification (Failure)',
        '',
        '** Address not found **',
        '',
        "Your message wasn't delivered to priya@oldco.example because the address couldn't be found, or is unable to receive mail.",
      ),
    });
    expect(forwarded).toMatch(/logged/);
    // Writing again to the old address is no nudge
    await fromMe({
      to: old,
      subject: `Re: ${subject}`,
      date: 'Mon, 23 Nov 2026 09:00:00 +0100',
      messageId: '<CAagain-board@mail.gmail.com>',
      inReplyTo: '<CAq-board@mail.gmail.com>',
      references: '<CAq-board@mail.gmail.com>',
      text: 'Hi Priya, trying again: would you be willing to join?',
    });

    expect(await ladder(subject, 'priya@oldco.example', '2026-12-10T09:00:00Z')).toMatchObject({
      state: 'bounced',
      nudges: 0,
    });
    expect((await digestAt('2026-12-10T07:00:00Z'))?.items).toContainEqual(
      expect.objectContaining({
        address: 'priya@oldco.example',
        reason:
          "Your mail to Priya at priya@oldco.example didn't arrive (the address bounced). Find a new way to reach them.",
      }),
    );

    // Priya writes from her new address, the user's Cc'd reply reaching the log
    await fromMe({
      client: 'apple',
      to: 'Priya Nair <priya@newco.example>',
      subject: 'Advisory board (new address)?',
      date: 'Fri, 11 Dec 2026 09:00:00 +0100',
      messageId: '<0F1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D@example.com>',
      text: 'Hi Priya, found your new address: would you be willing to join our advisory board?',
    });
    expect(await ladder(subject, 'priya@oldco.example', '2026-12-14T09:00:00Z')).toMatchObject({
      state: 'idle',
    });
  });

  it('takes "Perfect, please book it." from Apple Mail, quoting the venue\'s answer, as no favour asked', async () => {
    const subject = 'Room for 40 on 3 December?';
    const leo = 'Leo Marsh <events@lumen.example>';
    await fromMe({
      to: leo,
      subject,
      date: 'Mon, 2 Nov 2026 09:00:00 +0100',
      messageId: '<CAq-room40@mail.gmail.com>',
      text: 'Hello, do you have a room for 40 people on 3 December?',
    });
    await fromMe({
      client: 'apple',
      to: leo,
      subject: `Re: ${subject}`,
      date: 'Tue, 3 Nov 2026 15:20:00 +0100',
      messageId: '<A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@example.com>',
      inReplyTo: '<lumen-1@lumen.example>',
      references: '<CAq-room40@mail.gmail.com> <lumen-1@lumen.example>',
      text: lines(
        'Perfect, please book it.',
        '',
        'Mia',
        '',
        '> On 3 Nov 2026, at 14:05, Leo Marsh <events@lumen.example> wrote:',
        '> ',
        '> Yes, the garden room is free on the 3rd: 40 seated. Shall I hold it for you?',
      ),
    });

    expect(await ladder(subject, 'events@lumen.example', '2026-11-04T09:00:00Z')).toMatchObject({
      state: 'replied',
    });
    expect(
      (await helpAt('2026-11-04T09:00:00Z')).filter((i) => i.address === 'events@lumen.example'),
    ).toEqual([]);
  });
});

describe("a month of a founder's mail, and the digest of its last morning", () => {
  const { ctx, fromMe, fromContact } = aConversationStack('2026-12-31T10:00:00Z');
  const forwardInline = (subject: string, date: string, inner: string[]) =>
    fromMe({
      to: log,
      subject: `Fwd: ${subject}`,
      date,
      messageId: `<CAfwd-${subject.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@mail.gmail.com>`,
      text: lines('', '---------- Forwarded message ---------', ...inner),
    });

  beforeAll(async () => {
    // August: Omar and the user write each other, then nothing
    await fromMe({
      to: 'Omar Haddad <omar@haddad.example>',
      subject: 'Summer catch-up',
      date: 'Mon, 10 Aug 2026 10:00:00 +0200',
      messageId: '<CAomar-1@mail.gmail.com>',
      text: 'Omar, how was the summer? Shall we catch up in September?',
    });
    await fromContact('omar@haddad.example', {
      from: 'Omar Haddad <omar@haddad.example>',
      to: mia,
      cc: log,
      subject: 'Re: Summer catch-up',
      date: 'Wed, 12 Aug 2026 18:00:00 +0200',
      messageId: '<omar-2@haddad.example>',
      inReplyTo: '<CAomar-1@mail.gmail.com>',
      references: '<CAomar-1@mail.gmail.com>',
      text: 'Great! Yes, let us find a date in September.',
    });

    // Mon 2 Nov: Kim for an intro (never answers); Tom about a pilot; Leo for a room; Ines for dinner
    await fromMe({
      to: 'Kim Lau <kim@lau.example>',
      subject: 'Seed round intro?',
      date: 'Mon, 2 Nov 2026 09:00:00 +0100',
      messageId: '<CAq-seed@mail.gmail.com>',
      text: 'Hi Kim, could you introduce me to Ana at Fieldstone?',
    });
    await fromMe({
      client: 'outlook',
      to: 'Tom Okafor <tom@acme.example>',
      subject: 'Pilot in January?',
      date: 'Mon, 2 Nov 2026 09:30:00 +0100',
      messageId: '<DB9PR04MB8412pilot@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Tom,\n\nWould you be open to a pilot in January?\n\nMia',
    });
    await fromMe({
      to: 'Leo Marsh <events@lumen.example>',
      subject: 'Room for 40 on 3 December?',
      date: 'Mon, 2 Nov 2026 10:00:00 +0100',
      messageId: '<CAq-room40@mail.gmail.com>',
      text: 'Hello, do you have a room for 40 people on 3 December?',
    });
    await fromMe({
      to: 'Ines Roux <ines@roux.example>',
      subject: 'Dinner in Lyon?',
      date: 'Mon, 2 Nov 2026 11:00:00 +0100',
      messageId: '<CAlyon-1@mail.gmail.com>',
      text: 'Ines, are you free for dinner in Lyon on the 14th?',
    });
    // Tue 3 Nov: Leo answers; the user replies from Apple Mail, quoting him
    await fromMe({
      client: 'apple',
      to: 'Leo Marsh <events@lumen.example>',
      subject: 'Re: Room for 40 on 3 December?',
      date: 'Tue, 3 Nov 2026 15:20:00 +0100',
      messageId: '<A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@example.com>',
      inReplyTo: '<lumen-1@lumen.example>',
      references: '<CAq-room40@mail.gmail.com> <lumen-1@lumen.example>',
      text: lines(
        'Perfect, please book it.',
        '',
        'Mia',
        '',
        '> On 3 Nov 2026, at 14:05, Leo Marsh <events@lumen.example> wrote:',
        '> ',
        '> Yes, the garden room is free on the 3rd: 40 seated. Shall I hold it for you?',
      ),
    });
    // Ines and the user settle dinner in a burst on one thread
    await fromContact('ines@roux.example', {
      from: 'Ines Roux <ines@roux.example>',
      to: mia,
      cc: log,
      subject: 'Re: Dinner in Lyon?',
      date: 'Wed, 4 Nov 2026 09:00:00 +0100',
      messageId: '<ines-1@roux.example>',
      inReplyTo: '<CAlyon-1@mail.gmail.com>',
      references: '<CAlyon-1@mail.gmail.com>',
      text: 'Yes! Which restaurant?',
    });
    await fromMe({
      to: 'Ines Roux <ines@roux.example>',
      subject: 'Re: Dinner in Lyon?',
      date: 'Thu, 5 Nov 2026 09:00:00 +0100',
      messageId: '<CAlyon-2@mail.gmail.com>',
      inReplyTo: '<ines-1@roux.example>',
      references: '<CAlyon-1@mail.gmail.com> <ines-1@roux.example>',
      text: 'How about Le Bouchon at 8?',
    });
    await fromContact('ines@roux.example', {
      from: 'Ines Roux <ines@roux.example>',
      to: mia,
      cc: log,
      subject: 'Re: Dinner in Lyon?',
      date: 'Mon, 9 Nov 2026 09:00:00 +0100',
      messageId: '<ines-2@roux.example>',
      inReplyTo: '<CAlyon-2@mail.gmail.com>',
      references: '<CAlyon-1@mail.gmail.com> <ines-1@roux.example> <CAlyon-2@mail.gmail.com>',
      text: 'Perfect, see you there.',
    });

    // Mon 9 Nov: Raj is asked at 10:00:47 and his Exchange auto-reply leaves within the minute
    await fromMe({
      client: 'outlook',
      to: 'Raj Mehta <raj@northwind.example>',
      subject: 'Board deck for Thursday?',
      date: 'Mon, 9 Nov 2026 10:00:47 +0100',
      messageId: '<DB9PR04MB8412deck@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Raj,\n\nCould you review the board deck before Thursday?\n\nMia',
    });
    await forwardInline(
      'Automatic reply: Board deck for Thursday?',
      'Mon, 9 Nov 2026 10:20:00 +0100',
      [
        'From: Raj Mehta <raj@northwind.example>',
        'Date: Mon, Nov 9, 2026 at 10:00\u202fAM',
        'Subject: Automatic reply: Board deck for Thursday?',
        'To: Mia Park <me@example.com>',
        '',
        '',
        'Thank you for your email. I am out of the office and will return on Monday 23 November with limited access to email.',
      ],
    );
    // The user talked to Tom on the phone, then thanks him on the thread
    await fromMe({
      client: 'outlook',
      to: 'Tom Okafor <tom@acme.example>',
      subject: 'RE: Pilot in January?',
      date: 'Mon, 9 Nov 2026 18:30:00 +0100',
      messageId: '<DB9PR04MB8412thanks@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      inReplyTo: '<DB9PR04MB8412pilot@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      references: '<DB9PR04MB8412pilot@DB9PR04MB8412.eurprd04.prod.outlook.com>',
      text: 'Hi Tom,\n\nThanks for the call earlier, and thanks for making time at such short notice.\n\nMia',
    });
    // Tue 10 Nov: the first nudge to Kim
    await fromMe({
      to: 'Kim Lau <kim@lau.example>',
      subject: 'Re: Seed round intro?',
      date: 'Tue, 10 Nov 2026 09:00:00 +0100',
      messageId: '<CAnudge1-seed@mail.gmail.com>',
      inReplyTo: '<CAq-seed@mail.gmail.com>',
      references: '<CAq-seed@mail.gmail.com>',
      text: 'Hi Kim, any chance you could make that intro?',
    });
    // Thu 12 Nov: a promise to Dana
    await fromMe({
      to: 'Dana Reyes <dana@reyes.example>',
      subject: 'Hiring a head of sales',
      date: 'Thu, 12 Nov 2026 16:00:00 +0100',
      messageId: '<CAdana-1@mail.gmail.com>',
      text: "Dana, great to see you today. I'll introduce you to Lee at Northwind next week.",
    });
    // Mon 16 Nov: Sam made an intro; Priya is asked; Claire answers (forwarded from French Gmail)
    await fromMe({
      to: 'Sam Lee <sam@lee.example>',
      subject: 'Re: Meet Ana (Fieldstone)',
      date: 'Mon, 16 Nov 2026 08:30:00 +0100',
      messageId: '<CAsam-1@mail.gmail.com>',
      text: 'Sam, thank you so much for the intro to Ana! Moving you to Bcc.',
    });
    await fromMe({
      to: 'Priya Nair <priya@oldco.example>',
      subject: 'Advisory board?',
      date: 'Mon, 16 Nov 2026 09:00:00 +0100',
      messageId: '<CAq-board@mail.gmail.com>',
      text: 'Hi Priya, would you be willing to join our advisory board?',
    });
    await fromMe({
      client: 'outlook-ios',
      to: log,
      subject: 'Fwd: Delivery Status Notification (Failure)',
      date: 'Mon, 16 Nov 2026 09:30:00 +0100',
      messageId: '<AM0PR07MB6211bounce@AM0PR07MB6211.eurprd07.prod.outlook.com>',
      text: lines(
        'FYI',
        '',
        '---------- Forwarded message ---------',
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'Sent: Monday, November 16, 2026 9:00:05 AM',
        'To: Mia Park <me@example.com>',
        'Subject: Delivery Status Notification (Failure)',
        '',
        '** Address not found **',
        '',
        "Your message wasn't delivered to priya@oldco.example because the address couldn't be found, or is unable to receive mail.",
      ),
    });
    await fromMe({
      to: 'Claire Dubois <claire@dubois.example>',
      subject: 'Intervention le 10 décembre ?',
      date: 'Fri, 13 Nov 2026 10:00:00 +0100',
      messageId: '<CAq-claire@mail.gmail.com>',
      text: 'Bonjour Claire, pourriez-vous intervenir à notre atelier le 10 décembre ?',
    });
    await fromMe({
      to: log,
      subject: 'Fwd: Re: Intervention le 10 décembre ?',
      date: 'Mon, 16 Nov 2026 15:00:00 +0100',
      messageId: '<CAfwd-claire@mail.gmail.com>',
      text: lines(
        '',
        '---------- Message transféré ---------',
        'De : Claire Dubois <claire@dubois.example>',
        'Date: lun. 16 nov. 2026 à 14:05',
        'Subject: Re: Intervention le 10 décembre ?',
        'To: Mia Park <me@example.com>',
        '',
        '',
        'Avec plaisir, je serai là.',
      ),
    });
    // Wed 18 Nov: Elena answers quickly; the user thanks her for it
    await fromMe({
      to: 'Elena Sousa <elena@sousa.example>',
      subject: 'Re: Press kit',
      date: 'Wed, 18 Nov 2026 11:00:00 +0100',
      messageId: '<CAelena-1@mail.gmail.com>',
      text: 'Thanks for getting back to me so quickly, Elena.',
    });
    // Wed 18 Nov: the second nudge to Kim
    await fromMe({
      to: 'Kim Lau <kim@lau.example>',
      subject: 'Re: Seed round intro?',
      date: 'Wed, 18 Nov 2026 09:00:00 +0100',
      messageId: '<CAnudge2-seed@mail.gmail.com>',
      inReplyTo: '<CAnudge1-seed@mail.gmail.com>',
      references: '<CAq-seed@mail.gmail.com> <CAnudge1-seed@mail.gmail.com>',
      text: 'Hi Kim, one last try from me: could you make that intro to Ana?',
    });
    // Tue 24 Nov: Hugo is asked for a quote
    await fromMe({
      to: 'Hugo Brandt <hugo@brandt.example>',
      subject: 'Quote for the January workshop?',
      date: 'Tue, 24 Nov 2026 10:00:00 +0100',
      messageId: '<CAq-hugo@mail.gmail.com>',
      text: 'Hi Hugo, could you send me a quote for the January workshop?',
    });
  }, 120_000);

  it('reads, on Monday 30 November at 08:00, as its user would want it', async () => {
    const now = new Date('2026-11-30T07:00:00Z');
    const relationships = await ctx.stack.services.relationships(ctx.me, now);
    const digest = composeDigest({ user: ctx.me, relationships, now });
    if (!digest) throw new Error('no digest');
    const { subject, text } = renderDigest(digest, {
      replyAddress: 'reply+TOKEN@in.givefirst.test',
      unsubscribeUrl: 'https://givefirst.test/u/TOKEN',
    });

    expect(`${subject}\n\n${text}`).toBe(MONTH_DIGEST);
  });
});

/** What the user reads on Monday 30 November: the month above, judged line by line. */
const MONTH_DIGEST = [
  '5 people to help first · 1 waiting on a reply',
  '',
  'Your givefirst for Monday 30 November.',
  '',
  'Help first',
  'Give a little before you ask for anything.',
  '',
  '1. Dana Reyes',
  '   You told Dana "I\'ll introduce you to Lee at Northwind next week." 18 days ago.',
  '   “Hiring a head of sales”',
  '',
  '2. Sam Lee',
  '   Sam helped you 14 days ago ("Sam, thank you so much for the intro to Ana!") — a good moment to return the favour.',
  '   “Re: Meet Ana (Fieldstone)”',
  '',
  '3. Raj Mehta',
  '   Assume the best: maybe they missed it. Reach out again. They were away until 23 November. While you wait: is there something you could offer Raj?',
  '   “Board deck for Thursday?” · 21 days ago',
  '',
  '4. Hugo Brandt',
  '   Assume the best: maybe they missed it. Reach out again. While you wait: is there something you could offer Hugo?',
  '   “Quote for the January workshop?” · 6 days ago',
  '',
  '5. Omar Haddad',
  "   You and Omar haven't written in 4 months (you usually do every 3 months).",
  '',
  '   and 1 more: reply “more”',
  '',
  'Waiting on a reply',
  'People get busy. A short, friendly nudge usually does it.',
  '',
  '6. Priya Nair',
  "   Your mail to Priya at priya@oldco.example didn't arrive (the address bounced). Find a new way to reach them.",
  '   “Advisory board?” · you wrote 14 days ago',
  '',
  "We'll stop reminding you about 1 person: Kim Lau. If they write back, we'll pick it up again.",
  '',
  '-- reply commands --',
  'Reply with: done 1 · snooze 2 3d · drop 3 · more · help',
  'Unsubscribe: https://givefirst.test/u/TOKEN',
  '',
].join('\n');
