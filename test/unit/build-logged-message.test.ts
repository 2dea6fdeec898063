import { describe, expect, it } from 'vitest';
import {
  broadcastThreshold,
  buildIncomingMessage,
  buildLoggedMessage,
  sentTime,
} from '#domain/build-logged-message.ts';
import { shortKey } from '#domain/ids.ts';
import type { Attribution, LoggedMessage, ParsedEmail, Tags, User } from '#domain/model.ts';
import { anEnvelope, mailDomain } from '#test/builders/envelope.ts';
import { aParsedEmail } from '#test/builders/parsed-email.ts';
import { someTags } from '#test/builders/tags.ts';
import { aUser } from '#test/builders/user.ts';

const asking = 'Are you free for coffee on Thursday?';
const thanking = 'Thank you so much for the intro to Dana. It was a great conversation.';

/** Builds, and fails the test unless a message came out. */
function build(
  email: ParsedEmail,
  options: {
    user?: User;
    tags?: Tags;
    receivedAt?: Date;
    via?: LoggedMessage['via'];
    attribution?: Attribution;
  } = {},
): LoggedMessage {
  const result = buildLoggedMessage({
    email,
    user: options.user ?? aUser(),
    tags: options.tags ?? someTags(),
    envelope: anEnvelope(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
    mailDomain,
    via: options.via,
    attribution: options.attribution,
  });
  if (result.kind !== 'message') throw new Error(`expected a message, got ${result.detail}`);
  return result.message;
}

const addresses = (message: LoggedMessage) => message.contacts.map((c) => c.address);
const awaited = (message: LoggedMessage) =>
  message.contacts.filter((c) => c.awaited).map((c) => c.address);

describe('buildLoggedMessage', () => {
  describe('contacts', () => {
    it('takes To, Cc and Bcc recipients with their roles', () => {
      // Prepare
      const email = aParsedEmail({
        to: ['Ann Lee <ann@friends.test>'],
        cc: ['bo@friends.test'],
        bcc: ['cy@friends.test'],
      });

      // Act
      const message = build(email);

      // Assess
      expect(message.contacts).toEqual([
        { address: 'ann@friends.test', name: 'Ann Lee', role: 'to', awaited: true },
        { address: 'bo@friends.test', name: '', role: 'cc', awaited: false },
        { address: 'cy@friends.test', name: '', role: 'bcc', awaited: false },
      ]);
    });

    it("leaves out the user's own address and aliases, whatever their case", () => {
      // Prepare
      const user = aUser({ aliases: ['me@work.example'] });
      const email = aParsedEmail({
        to: ['ann@friends.test', 'ME@Example.org'],
        cc: ['me@work.example'],
      });

      // Act
      const message = build(email, { user });

      // Assess
      expect(addresses(message)).toEqual(['ann@friends.test']);
    });

    it('leaves out every address at the inbound domain', () => {
      // Prepare
      const email = aParsedEmail({
        to: ['ann@friends.test'],
        cc: [`log@${mailDomain}`],
        bcc: [`log+ask@${mailDomain.toUpperCase()}`],
      });

      // Act
      const message = build(email);

      // Assess
      expect(addresses(message)).toEqual(['ann@friends.test']);
    });

    it('leaves out never-log addresses and whole never-log domains', () => {
      // Prepare
      const user = aUser({ neverLog: ['Boss@Work.example', '@lawyers.test'] });
      const email = aParsedEmail({
        to: ['ann@friends.test', 'boss@work.example', 'colleague@work.example'],
        cc: ['counsel@lawyers.test'],
      });

      // Act
      const message = build(email, { user });

      // Assess
      expect(addresses(message)).toEqual(['ann@friends.test', 'colleague@work.example']);
    });

    it('counts an address once, in its first role', () => {
      // Prepare
      const email = aParsedEmail({ to: ['ann@friends.test'], cc: ['Ann@Friends.test'] });

      // Act
      const message = build(email);

      // Assess
      expect(message.contacts).toHaveLength(1);
      expect(message.contacts[0]?.role).toBe('to');
    });

    it('keeps display names with commas and quotes', () => {
      // Prepare
      const email = aParsedEmail({
        to: [
          { address: 'ann@friends.test', name: 'Lee, Ann' },
          { address: 'bo@friends.test', name: 'Bo "The Builder" Smith' },
        ],
      });

      // Act
      const message = build(email);

      // Assess
      expect(message.contacts.map((c) => c.name)).toEqual(['Lee, Ann', 'Bo "The Builder" Smith']);
    });

    it.each([
      ['only the user', { to: ['me@example.org'] }],
      ['only the log address', { to: [`log@${mailDomain}`] }],
      ['the user and an alias', { to: ['me@example.org'], cc: ['me@work.example'] }],
      ['nobody', { to: [] }],
    ])('has nothing to track when addressed to %s', (_, recipients) => {
      // Prepare
      const email = aParsedEmail(recipients);

      // Act
      const result = buildLoggedMessage({
        email,
        user: aUser({ aliases: ['me@work.example'] }),
        tags: someTags(),
        envelope: anEnvelope(),
        mailDomain,
      });

      // Assess
      expect(result).toEqual({
        kind: 'nothing-to-track',
        detail: 'the message was addressed only to your own or givefirst addresses',
      });
    });
  });

  describe('addressed only to never-log people', () => {
    it('says so, rather than that it was addressed to nobody', () => {
      // Prepare
      const email = aParsedEmail({ to: ['alice@x.test'], cc: ['me@example.org'] });

      // Act
      const result = buildLoggedMessage({
        email,
        user: aUser({ neverLog: ['alice@x.test'] }),
        tags: someTags(),
        envelope: anEnvelope(),
        mailDomain,
      });

      // Assess
      expect(result).toEqual({
        kind: 'nothing-to-track',
        detail: 'everyone else it was addressed to is on your never-log list',
      });
    });
  });

  describe('awaited replies', () => {
    it('awaits To recipients of a message that asks something, never Cc', () => {
      // Prepare
      const email = aParsedEmail({
        to: ['ann@friends.test', 'bo@friends.test'],
        cc: ['cy@friends.test'],
        text: asking,
      });

      // Act
      const message = build(email);

      // Assess
      expect(message.asksSomething).toBe(true);
      expect(awaited(message)).toEqual(['ann@friends.test', 'bo@friends.test']);
    });

    it('awaits nobody for a message that asks nothing', () => {
      // Prepare
      const email = aParsedEmail({ text: thanking });

      // Act
      const message = build(email);

      // Assess
      expect(message.asksSomething).toBe(false);
      expect(awaited(message)).toEqual([]);
      expect(message.window).toBeNull();
    });

    it('reads only the new text: a question in the quote asks nothing', () => {
      // Prepare
      const email = aParsedEmail({
        text: `${thanking}\n\nOn Tue, 3 Mar 2026 at 10:02, Ann Lee <ann@friends.test> wrote:\n> Can you send the deck?\n`,
      });

      // Act
      const message = build(email);

      // Assess
      expect(message.asksSomething).toBe(false);
      expect(message.snippet).toBe(thanking);
    });

    it.each([
      ['a window tag', someTags({ window: { kind: 'days', days: 5 } }), { kind: 'days', days: 5 }],
      ['the ask tag', someTags({ kinds: ['ask'] }), { kind: 'business-days', days: 3 }],
    ])('awaits To recipients of a message that asks nothing but carries %s', (_, tags, window) => {
      // Prepare
      const email = aParsedEmail({ text: thanking, cc: ['cy@friends.test'] });

      // Act
      const message = build(email, { tags });

      // Assess
      expect(awaited(message)).toEqual(['ann@friends.test']);
      expect(message.window).toEqual(window);
    });

    it('gives a question without a window tag the default window, 3 business days', () => {
      // Prepare
      const email = aParsedEmail({ text: asking });

      // Act
      const message = build(email);

      // Assess
      expect(awaited(message)).toEqual(['ann@friends.test']);
      expect(message.window).toEqual({ kind: 'business-days', days: 3 });
    });

    it("gives a question the window its tag names, the user's zone beside it", () => {
      // Prepare
      const email = aParsedEmail({ text: asking });
      const monday = { kind: 'weekday', weekday: 1, label: 'monday' } as const;

      // Act
      const message = build(email, {
        tags: someTags({ window: monday }),
        user: aUser({ timeZone: 'America/New_York' }),
      });

      // Assess
      expect([message.window, message.timeZone]).toEqual([monday, 'America/New_York']);
    });

    it('awaits nobody when tagged fyi, even for a question with a window', () => {
      // Prepare
      const email = aParsedEmail({ text: asking });
      const tags = someTags({ kinds: ['fyi', 'ask'], window: { kind: 'days', days: 3 } });

      // Act
      const message = build(email, { tags });

      // Assess
      expect(awaited(message)).toEqual([]);
      expect(message.window).toBeNull();
      expect(message.contacts).toHaveLength(1);
    });

    it(`awaits ${broadcastThreshold} To recipients`, () => {
      // Prepare
      const to = Array.from({ length: broadcastThreshold }, (_, i) => `friend${i}@friends.test`);
      const email = aParsedEmail({ to, text: asking });

      // Act
      const message = build(email);

      // Assess
      expect(message.broadcast).toBe(false);
      expect(awaited(message)).toHaveLength(broadcastThreshold);
    });

    it(`makes a message to more than ${broadcastThreshold} people a broadcast, awaiting nobody`, () => {
      // Prepare: 10 in To and one in Cc
      const to = Array.from({ length: broadcastThreshold }, (_, i) => `friend${i}@friends.test`);
      const email = aParsedEmail({ to, cc: ['one.more@friends.test'], text: asking });

      // Act
      const message = build(email, { tags: someTags({ kinds: ['ask'] }) });

      // Assess
      expect(message.broadcast).toBe(true);
      expect(message.contacts).toHaveLength(broadcastThreshold + 1);
      expect(awaited(message)).toEqual([]);
      expect(message.window).toBeNull();
    });
  });

  describe('dates', () => {
    it('takes the Date header', () => {
      // Prepare
      const email = aParsedEmail({ date: new Date('2026-03-02T09:00:00Z') });

      // Act
      const message = build(email, { receivedAt: new Date('2026-03-04T12:00:00Z') });

      // Assess
      expect(message.sentAt).toBe('2026-03-02T09:00:00.000Z');
      expect(message.dateSource).toBe('header');
    });

    it('takes the receipt time when the Date header is missing', () => {
      // Prepare
      const email = aParsedEmail({ date: null, text: asking });

      // Act
      const message = build(email, { receivedAt: new Date('2026-03-04T12:00:00Z') });

      // Assess
      expect(message.sentAt).toBe('2026-03-04T12:00:00.000Z');
      expect(message.dateSource).toBe('receipt');
    });

    it('clamps a Date in the future to the receipt time, and says so', () => {
      // Prepare: a sender's clock set a year ahead
      const email = aParsedEmail({ date: new Date('2027-03-04T12:00:00Z'), text: asking });

      // Act
      const message = build(email, { receivedAt: new Date('2026-03-04T12:00:00Z') });

      // Assess
      expect(message.sentAt).toBe('2026-03-04T12:00:00.000Z');
      expect(message.dateSource).toBe('clamped');
    });
  });

  describe('sentTime', () => {
    const receivedAt = new Date('2026-03-04T12:00:00Z');

    it.each([
      ['a few minutes before the receipt', '2026-03-04T11:55:00Z'],
      ['nine years before the receipt', '2017-03-04T12:00:00Z'],
      ['ten years before the receipt to the millisecond', '2016-03-04T12:00:00Z'],
      ['ahead of the receipt by clock skew (23 hours)', '2026-03-05T11:00:00Z'],
      ['a day ahead of the receipt to the millisecond', '2026-03-05T12:00:00Z'],
    ])('believes a Date %s', (_, date) => {
      // Act
      const sent = sentTime(new Date(date), receivedAt);

      // Assess
      expect(sent).toEqual({ sentAt: new Date(date), dateSource: 'header' });
    });

    it.each([
      ['more than a day ahead of the receipt', '2026-03-05T12:00:00.001Z'],
      ['years in the future', '2099-01-01T00:00:00Z'],
      ['just over ten years before the receipt', '2016-03-04T11:59:59.999Z'],
      ['at the epoch (a clock never set)', '1970-01-01T00:00:00Z'],
    ])('clamps a Date %s to the receipt time', (_, date) => {
      // Act
      const sent = sentTime(new Date(date), receivedAt);

      // Assess
      expect(sent).toEqual({ sentAt: receivedAt, dateSource: 'clamped' });
    });

    it('takes the receipt time when there is no Date', () => {
      // Act
      const sent = sentTime(null, receivedAt);

      // Assess
      expect(sent).toEqual({ sentAt: receivedAt, dateSource: 'receipt' });
    });
  });

  describe('identity', () => {
    it('keeps the Message-ID, normalised, and keys the message by it', () => {
      // Prepare
      const email = aParsedEmail({ messageId: '<First.1@Mail.Example.ORG>' });

      // Act
      const message = build(email);

      // Assess
      expect(message.messageId).toBe('First.1@mail.example.org');
      expect(message.messageIdSource).toBe('header');
      expect(message.messageKey).toBe(shortKey('First.1@mail.example.org'));
    });

    it.each([null, '', '<>'])('derives a Message-ID when the header gives %j', (messageId) => {
      // Prepare
      const email = aParsedEmail({ messageId });

      // Act
      const message = build(email);

      // Assess
      expect(message.messageIdSource).toBe('derived');
      expect(message.messageId).toMatch(/^[a-z2-7]{20}@derived\.givefirst\.invalid$/);
      expect(message.messageKey).toBe(shortKey(message.messageId));
    });

    it('derives the same Message-ID for the same content', () => {
      // Prepare
      const first = aParsedEmail({ messageId: null });
      const again = aParsedEmail({ messageId: null });

      // Act
      const ids = [
        build(first).messageId,
        build(again, { receivedAt: new Date('2026-03-05T00:00:00Z') }).messageId,
      ];

      // Assess
      expect(ids[0]).toBe(ids[1]);
    });

    it.each<[string, Partial<ParsedEmail>]>([
      ['another body', { bodyDigest: 'another-digest' }],
      ['another subject', { subject: 'Coffee next month' }],
      ['another date', { date: new Date('2026-03-02T09:00:01Z') }],
      ['another recipient', { to: [{ address: 'bo@friends.test', name: '' }] }],
      [
        'the recipient in Cc instead of To',
        { to: [], cc: [{ address: 'ann@friends.test', name: '' }] },
      ],
      ['another sender', { from: { address: 'me@work.example', name: '' } }],
    ])('derives another Message-ID for %s', (_, change) => {
      // Prepare
      const email = aParsedEmail({ messageId: null });
      const changed = { ...email, ...change };

      // Act
      const ids = [build(email).messageId, build(changed).messageId];

      // Assess
      expect(ids[0]).not.toBe(ids[1]);
    });
  });

  describe('links to the thread', () => {
    it('keeps no links for a message that starts a thread', () => {
      // Prepare
      const root = aParsedEmail({ messageId: '<root@mail.example.org>' });

      // Act
      const message = build(root);

      // Assess
      expect([message.inReplyTo, message.references]).toEqual([[], []]);
    });

    it('keeps In-Reply-To and References, normalised and in order', () => {
      // Prepare
      const replyToReply = aParsedEmail({
        messageId: '<third@mail.example.org>',
        inReplyTo: ['<reply@MAIL.Friends.test>'],
        references: ['<root@MAIL.Example.org>', '<reply@mail.friends.test>'],
      });

      // Act
      const message = build(replyToReply);

      // Assess
      expect(message.inReplyTo).toEqual(['reply@mail.friends.test']);
      expect(message.references).toEqual(['root@mail.example.org', 'reply@mail.friends.test']);
    });
  });

  describe('what is kept', () => {
    it('truncates the subject to 300 characters', () => {
      // Prepare
      const email = aParsedEmail({ subject: 'x'.repeat(400) });

      // Act
      const message = build(email);

      // Assess
      expect(message.subject).toBe('x'.repeat(300));
    });

    it('never cuts an emoji in half at the end of the subject', () => {
      // Prepare: the cut at 300 code units falls inside the emoji
      const email = aParsedEmail({ subject: `${'x'.repeat(299)}🎉 party` });

      // Act
      const message = build(email);

      // Assess
      expect(message.subject).toBe('x'.repeat(299));
    });

    it('keeps a one-line snippet of the new text, the tags, the user and the receipt', () => {
      // Prepare
      const email = aParsedEmail({
        text: 'Hi Ann,\n\nAre you free on Thursday?\n\nSent from my iPhone',
      });
      const tags = someTags({ kinds: ['promise'], unknown: ['soon'] });

      // Act
      const message = build(email, { tags, user: aUser({ userId: 'user-42' }) });

      // Assess
      expect(message).toMatchObject({
        userId: 'user-42',
        direction: 'out',
        snippet: 'Hi Ann, Are you free on Thursday?',
        tags,
        receiptId: 'receipt-1',
      });
    });

    it("is sent by the user, Bcc'd unless told, and counts one touch per message", () => {
      // Prepare
      const user = aUser({ email: 'Me@Example.org' });

      // Act
      const bccd = build(aParsedEmail(), { user });
      const forwarded = build(aParsedEmail(), { user, via: 'forward-attached' });

      // Assess
      expect(bccd).toMatchObject({
        direction: 'out',
        via: 'bcc',
        from: 'me@example.org',
        kind: 'personal',
        outOfOffice: null,
        attribution: null,
        touchKey: bccd.messageKey,
      });
      expect(forwarded.via).toBe('forward-attached');
    });

    it('keeps the quoted attribution it is given', () => {
      // Prepare
      const attribution: Attribution = {
        name: 'Ann Lee',
        address: 'ann@friends.test',
        date: new Date('2026-03-01T17:00:00Z'),
        line: 'On Sun, 1 Mar 2026 at 18:00, Ann Lee <ann@friends.test> wrote:',
      };

      // Act
      const message = build(aParsedEmail(), { attribution });

      // Assess
      expect(message.attribution).toEqual(attribution);
    });
  });
});

describe('buildIncomingMessage', () => {
  const bob = { address: 'bob@friends.test', name: 'Bob Byrne' };
  /** Bob's reply to the user, Cc'd to the log address. */
  const aReply = (overrides: Partial<ParsedEmail> = {}) =>
    aParsedEmail({
      from: bob,
      to: ['Me <me@example.org>'],
      cc: [`log@${mailDomain}`],
      subject: 'Re: Coffee next week',
      date: new Date('2026-03-03T10:15:37Z'),
      messageId: '<reply-1@mail.friends.test>',
      inReplyTo: ['<first.1@mail.example.org>'],
      references: ['<first.1@mail.example.org>'],
      text: 'Thursday works. Shall we say 10?',
      ...overrides,
    });

  function buildIncoming(
    email: ParsedEmail,
    options: {
      sender?: typeof bob;
      receiptId?: string;
      receivedAt?: Date;
      via?: LoggedMessage['via'];
    } = {},
  ): LoggedMessage {
    return buildIncomingMessage({
      email,
      sender: options.sender ?? bob,
      user: aUser(),
      envelope: anEnvelope({
        receiptId: options.receiptId ?? 'receipt-1',
        receivedAt: options.receivedAt ?? new Date('2026-03-03T10:16:00Z'),
      }),
      via: options.via ?? 'cc-reply',
      kind: 'personal',
      outOfOffice: null,
    });
  }

  it('keeps a reply as incoming, from its sender, awaiting nobody', () => {
    // Act
    const message = buildIncoming(aReply());

    // Assess
    expect(message).toMatchObject({
      userId: 'user-me',
      direction: 'in',
      via: 'cc-reply',
      from: 'bob@friends.test',
      contacts: [{ address: 'bob@friends.test', name: 'Bob Byrne', role: 'from', awaited: false }],
      window: null,
      asksSomething: false,
      broadcast: false,
      tags: { kinds: [], window: null, unknown: [] },
      messageId: 'reply-1@mail.friends.test',
      inReplyTo: ['first.1@mail.example.org'],
      references: ['first.1@mail.example.org'],
      sentAt: '2026-03-03T10:15:37.000Z',
      dateSource: 'header',
      timeZone: 'Europe/Berlin',
      receiptId: 'receipt-1',
    });
  });

  it('keeps what the rules found of it: its kind and an out-of-office return date', () => {
    // Act
    const message = buildIncomingMessage({
      email: aReply({ subject: 'Automatic reply: Coffee next week' }),
      sender: bob,
      user: aUser(),
      envelope: anEnvelope(),
      via: 'forward-attached',
      kind: 'auto-reply',
      outOfOffice: { returnsOn: '2026-03-09' },
    });

    // Assess
    expect(message).toMatchObject({
      via: 'forward-attached',
      kind: 'auto-reply',
      outOfOffice: { returnsOn: '2026-03-09' },
    });
  });

  it('reads a date given to the minute as that whole minute: an answer at its end', () => {
    // Act: a forward's "Tue, Mar 3, 2026 at 11:15 AM"
    const message = buildIncoming(
      aReply({ date: new Date('2026-03-03T10:15:00Z'), dateToTheMinute: true }),
      { via: 'forward-inline', receivedAt: new Date('2026-03-03T12:00:00Z') },
    );

    // Assess
    expect(message).toMatchObject({
      sentAt: '2026-03-03T10:15:59.999Z',
      dateSource: 'header',
      receivedAt: '2026-03-03T12:00:00.000Z',
    });
  });

  it('clamps a Date in the future to the receipt time', () => {
    // Act
    const message = buildIncoming(aReply({ date: new Date('2036-03-03T10:15:00Z') }), {
      receivedAt: new Date('2026-03-03T10:16:00Z'),
    });

    // Assess
    expect([message.sentAt, message.dateSource]).toEqual(['2026-03-03T10:16:00.000Z', 'clamped']);
  });

  describe('touch key', () => {
    it.each<[string, ParsedEmail, Parameters<typeof buildIncoming>[1]]>([
      [
        'Message-ID and receipt',
        aReply({ messageId: '<copy-1@relay.friends.test>' }),
        { receiptId: 'receipt-2' },
      ],
      [
        'how it came (forwarded inline: no Message-ID, no links, no seconds in its date)',
        aReply({
          messageId: null,
          inReplyTo: [],
          references: [],
          date: new Date('2026-03-03T10:15:00Z'),
        }),
        { receiptId: 'receipt-2', via: 'forward-inline' },
      ],
      [
        "the case of the sender's address",
        aReply({ messageId: '<other@mail.friends.test>' }),
        { sender: { address: 'Bob@Friends.TEST', name: 'Bob' }, receiptId: 'receipt-2' },
      ],
      [
        'the reply prefix and spacing of the subject',
        aReply({ messageId: '<other@mail.friends.test>', subject: 'RE:  Coffee next week' }),
        { receiptId: 'receipt-2' },
      ],
    ])('is the same for two copies of one reply differing in %s', (_, copy, options) => {
      // Act
      const original = buildIncoming(aReply());
      const other = buildIncoming(copy, options);

      // Assess
      expect(other.messageKey).not.toBe(original.messageKey);
      expect(other.touchKey).toBe(original.touchKey);
    });

    it.each<[string, ParsedEmail, Parameters<typeof buildIncoming>[1]]>([
      ['sent another minute', aReply({ date: new Date('2026-03-03T10:16:37Z') }), {}],
      ['on another subject', aReply({ subject: 'Re: Dinner on Friday' }), {}],
      ['from another sender', aReply(), { sender: { address: 'cy@friends.test', name: 'Cy' } }],
    ])('differs for a reply %s', (_, other, options) => {
      // Act
      const touchKeys = [buildIncoming(aReply()).touchKey, buildIncoming(other, options).touchKey];

      // Assess
      expect(touchKeys[0]).not.toBe(touchKeys[1]);
    });
  });
});
