import { describe, expect, it } from 'vitest';
import { broadcastThreshold, buildLoggedMessage } from '#domain/build-logged-message.ts';
import { shortKey } from '#domain/ids.ts';
import type { LoggedMessage, ParsedEmail, Tags, User } from '#domain/model.ts';
import { anEnvelope, mailDomain } from '#test/builders/envelope.ts';
import { aParsedEmail } from '#test/builders/parsed-email.ts';
import { someTags } from '#test/builders/tags.ts';
import { aUser } from '#test/builders/user.ts';

const asking = 'Are you free for coffee on Thursday?';
const thanking = 'Thank you so much for the intro to Dana. It was a great conversation.';

/** Builds, and fails the test unless a message came out. */
function build(
  email: ParsedEmail,
  options: { user?: User; tags?: Tags; receivedAt?: Date } = {},
): LoggedMessage {
  const result = buildLoggedMessage({
    email,
    user: options.user ?? aUser(),
    tags: options.tags ?? someTags(),
    envelope: anEnvelope(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
    mailDomain,
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
      expect(message.dueOn).toBeNull();
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
      ['a window tag', someTags({ window: { kind: 'days', days: 5 } }), '2026-03-09'],
      ['the ask tag', someTags({ kinds: ['ask'] }), '2026-03-05'],
    ])('awaits To recipients of a message that asks nothing but carries %s', (_, tags, due) => {
      // Prepare: sent Monday 2 March
      const email = aParsedEmail({ text: thanking, cc: ['cy@friends.test'] });

      // Act
      const message = build(email, { tags });

      // Assess
      expect(awaited(message)).toEqual(['ann@friends.test']);
      expect(message.dueOn).toBe(due);
    });

    it('awaits nobody when tagged fyi, even for a question with a window', () => {
      // Prepare
      const email = aParsedEmail({ text: asking });
      const tags = someTags({ kinds: ['fyi', 'ask'], window: { kind: 'days', days: 3 } });

      // Act
      const message = build(email, { tags });

      // Assess
      expect(awaited(message)).toEqual([]);
      expect(message.dueOn).toBeNull();
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
      expect(message.dueOn).toBeNull();
    });

    it("sets the due date in the user's zone", () => {
      // Prepare: Friday 23:30 UTC is already Saturday in Berlin, still Friday in New York
      const email = aParsedEmail({ date: new Date('2026-03-06T23:30:00Z') });
      const tags = someTags({ window: { kind: 'days', days: 3 } });

      // Act
      const inBerlin = build(email, { tags, user: aUser({ timeZone: 'Europe/Berlin' }) });
      const inNewYork = build(email, { tags, user: aUser({ timeZone: 'America/New_York' }) });

      // Assess
      expect([inBerlin.dueOn, inBerlin.timeZone]).toEqual(['2026-03-10', 'Europe/Berlin']);
      expect([inNewYork.dueOn, inNewYork.timeZone]).toEqual(['2026-03-09', 'America/New_York']);
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
      expect(message.dueOn).toBe('2026-03-09');
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
      expect(message.threadKey).toBe(shortKey(message.messageId));
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

  describe('threads', () => {
    const root = aParsedEmail({ messageId: '<root@mail.example.org>' });
    const reply = aParsedEmail({
      messageId: '<reply@mail.friends.test>',
      inReplyTo: ['<root@mail.example.org>'],
      references: ['<root@mail.example.org>'],
    });
    const replyToReply = aParsedEmail({
      messageId: '<third@mail.example.org>',
      inReplyTo: ['<reply@mail.friends.test>'],
      references: ['<root@MAIL.Example.org>', '<reply@mail.friends.test>'],
    });

    it('starts a thread at a message without references', () => {
      // Act
      const message = build(root);

      // Assess
      expect(message.threadKey).toBe(shortKey('root@mail.example.org'));
      expect(message.references).toEqual([]);
    });

    it('gives a reply and its root the same thread key, whatever the order they are built in', () => {
      // Act
      const replyFirst = [build(reply).threadKey, build(root).threadKey];
      const rootFirst = [build(root).threadKey, build(reply).threadKey];

      // Assess
      expect(replyFirst[0]).toBe(replyFirst[1]);
      expect(rootFirst).toEqual(replyFirst);
    });

    it('takes the first References id as the root', () => {
      // Act
      const message = build(replyToReply);

      // Assess
      expect(message.threadKey).toBe(build(root).threadKey);
      expect(message.references).toEqual(['root@mail.example.org', 'reply@mail.friends.test']);
    });

    it('takes In-Reply-To when there are no References', () => {
      // Prepare
      const email = aParsedEmail({
        messageId: '<reply@mail.friends.test>',
        inReplyTo: ['<root@mail.example.org>'],
        references: [],
      });

      // Act
      const message = build(email);

      // Assess
      expect(message.threadKey).toBe(build(root).threadKey);
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
  });
});
