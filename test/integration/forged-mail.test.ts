import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { buildThreads } from '#domain/threads.ts';
import { aSignedRaw, aSigningDomain, aTestDns } from '../support/test-dns.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.example.com';
const log = `log@${domain}`;
const me = aSigningDomain('example.com');
const evil = aSigningDomain('evil.test');
const carol = aSigningDomain('carol.test');
const mallory = aSigningDomain('mallory.test');
/** Signs for slow.test, whose DNS never answers: its key cannot be fetched. */
const slow = aSigningDomain('slow.test');
const dns = aTestDns({
  keys: [me, evil, carol, mallory],
  txt: {
    '_dmarc.example.com': 'v=DMARC1; p=reject',
    // The attacker's own domain is set up perfectly: its mail passes DMARC for evil.test.
    '_dmarc.evil.test': 'v=DMARC1; p=reject',
    '_dmarc.carol.test': 'v=DMARC1; p=reject',
    '_dmarc.mallory.test': 'v=DMARC1; p=reject',
  },
  failing: {
    '_dmarc.slow.test': 'ETIMEOUT',
    'slow.test': 'ETIMEOUT',
    'test._domainkey.slow.test': 'ETIMEOUT',
    '_dmarc.broken.test': 'ESERVFAIL',
    'broken.test': 'ESERVFAIL',
  },
});

/** A raw message with exactly these header lines, as an attacker writes it. */
function rawMail(headers: string[], body = 'Could we meet on Thursday?'): string {
  return `${[...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'].join('\r\n')}\r\n\r\n${body}\r\n`;
}

const question = (subject: string, from: string | string[], extra: string[] = []) =>
  rawMail([
    ...(Array.isArray(from) ? from : [from]).map((f) => `From: ${f}`),
    'To: Alice <alice@x.com>',
    `Subject: ${subject}`,
    'Date: Mon, 02 Mar 2026 09:00:00 +0000',
    `Message-ID: <${subject.replace(/\W+/g, '-')}@example.com>`,
    ...extra,
  ]);

describe('forged mail through the strict SMTP door (mailauth, test DNS)', () => {
  let stack: TestStack;
  let user: User;

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      relaxedAuth: false,
      resolver: dns,
      clock: 'fixed:2026-03-02T12:00:00Z',
    });
    for (const email of [
      'me@example.com',
      'mallory@mallory.test',
      'sam@slow.test',
      'bo@broken.test',
    ]) {
      await stack.services.registerUser({ email });
    }
    user = (await stack.services.store.findUserByAddress('me@example.com')) as User;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const send = (raw: string, mailFrom = 'me@example.com', to = [log]) =>
    stack.sendRaw({ from: mailFrom, to }, raw);
  const rejectionOf = async (subject: string) =>
    (await stack.services.store.listRejections({ days: 2, limit: 500 })).find(
      (r) => r.subject === subject,
    );

  describe('a From two parsers could read differently is refused as ambiguous', () => {
    it.each<[string, string | string[]]>([
      [
        'group syntax hiding the signer (the reported attack)',
        'g:<me@example.com>; <evil@evil.test>',
      ],
      ['a group alone', 'friends: me@example.com;'],
      ['two mailboxes, the user second', '<evil@evil.test>, <me@example.com>'],
      ['two mailboxes, the user first', 'me@example.com, evil@evil.test'],
      ['an empty <> before the user', '"x" <>, me@example.com'],
      ['two angle addresses in one mailbox', '<me@example.com> <evil@evil.test>'],
      ['a comment naming another address', 'me@example.com (evil@evil.test)'],
      [
        'an encoded-word that decodes to an address',
        '=?utf-8?q?evil=40evil.test?= <me@example.com>',
      ],
      ['an escaped quote in the display name', '"Me \\"<evil@evil.test>\\"" <me@example.com>'],
      ['an unclosed angle bracket', 'Me <me@example.com'],
      ['a source route', 'Me <@evil.test:me@example.com>'],
      ['a second @ in the address', 'me@example.com@evil.test'],
      ['two From headers', ['Me <me@example.com>', 'Evil <evil@evil.test>']],
    ])('%s, signed by the attacker', async (name, from) => {
      // Prepare
      const subject = `Ambiguous ${name}`;
      const raw = await aSignedRaw(question(subject, from), evil);

      // Act
      const reply = await send(raw, 'evil@evil.test');

      // Assess
      expect(reply).toMatch(/\(rejected\)/);
      expect(await rejectionOf(subject)).toMatchObject({ reason: 'ambiguous-from' });
    });

    it('an encoded-word hiding brackets leaves no address to read', async () => {
      const from = '=?utf-8?q?<evil@evil.test>?= <me@example.com>';
      const raw = await aSignedRaw(question('Encoded brackets', from), evil);

      const reply = await send(raw, 'evil@evil.test');

      expect(reply).toMatch(/\(rejected\)/);
      expect(await rejectionOf('Encoded brackets')).toMatchObject({ reason: 'no-from-address' });
    });

    it('still logs the plain shapes every parser reads alike', async () => {
      for (const [subject, from] of [
        ['Plain bare', 'me@example.com'],
        ['Plain named', 'Me Myself <me@example.com>'],
        ['Plain quoted', '"Myself, Me" <me@example.com>'],
        ['Plain encoded', '=?utf-8?q?J=C3=BCrgen?= <me@example.com>'],
        ['Plain address as name', '"me@example.com" <me@example.com>'],
      ] as const) {
        const reply = await send(await aSignedRaw(question(subject, from), me));
        expect(reply, subject).toMatch(/\(logged\)/);
      }
    });

    it('refuses a forged Cc reply whose From hides the signer, so the thread stays open', async () => {
      // Prepare: the user asks carol, then "carol" answers with a From mailauth reads otherwise.
      const asked = await aSignedRaw(
        rawMail([
          'From: Me <me@example.com>',
          'To: Carol <carol@carol.test>',
          'Subject: Ambiguous reply thread',
          'Date: Mon, 02 Mar 2026 09:00:00 +0000',
          'Message-ID: <ambiguous-reply-q@example.com>',
        ]),
        me,
      );
      expect(await send(asked)).toMatch(/\(logged\)/);
      const forged = await aSignedRaw(
        rawMail(
          [
            'From: g:<carol@carol.test>; <evil@evil.test>',
            'To: Me <me@example.com>',
            `Cc: ${log}`,
            'Subject: Re: Ambiguous reply thread',
            'Date: Mon, 02 Mar 2026 10:00:00 +0000',
            'Message-ID: <forged-reply@evil.test>',
            'In-Reply-To: <ambiguous-reply-q@example.com>',
          ],
          'Yes, Thursday works.',
        ),
        evil,
      );

      // Act
      const reply = await send(forged, 'evil@evil.test');

      // Assess
      expect(reply).toMatch(/\(rejected\)/);
      expect(await rejectionOf('Re: Ambiguous reply thread')).toMatchObject({
        reason: 'ambiguous-from',
      });
      const threads = buildThreads(
        await stack.services.store.listMessages(user.userId),
        'UTC',
        new Date('2026-03-02T12:00:00Z'),
      );
      const thread = threads.find((t) => t.subject === 'Ambiguous reply thread');
      expect(thread?.contacts.map((c) => [c.address, c.state])).toEqual([
        ['carol@carol.test', 'waiting'],
      ]);
    });
  });

  describe('tenants never see each other mail', () => {
    const carolsReply = (options: { subject: string; to: string; cc: string; answers: string[] }) =>
      aSignedRaw(
        rawMail(
          [
            'From: Carol <carol@carol.test>',
            `To: ${options.to}`,
            `Cc: ${options.cc}`,
            `Subject: ${options.subject}`,
            'Date: Mon, 02 Mar 2026 11:00:00 +0000',
            `Message-ID: <${options.subject.replace(/\W+/g, '-')}@carol.test>`,
            `In-Reply-To: ${options.answers.at(-1)}`,
            `References: ${options.answers.join(' ')}`,
          ],
          'Thursday works for me.',
        ),
        carol,
      );
    const incomingOf = async (email: string) => {
      const owner = await stack.services.store.findUserByAddress(email);
      return (await stack.services.store.listMessages(owner?.userId ?? '')).filter(
        (m) => m.direction === 'in',
      );
    };

    it('a second user who logged a copied Message-ID never gets the reply written to the first', async () => {
      // Prepare: the user asks carol; mallory, another user, logs her own mail under the same
      // Message-ID, even addressed to carol.
      const ask = (from: string, key: typeof me) =>
        aSignedRaw(
          rawMail([
            `From: ${from}`,
            'To: Carol <carol@carol.test>',
            'Subject: Tenants copied id',
            'Date: Mon, 02 Mar 2026 09:00:00 +0000',
            'Message-ID: <tenants-copied@example.com>',
          ]),
          key,
        );
      expect(
        await send(await ask('Mallory <mallory@mallory.test>', mallory), 'mallory@mallory.test'),
      ).toMatch(/\(logged\)/);
      expect(await send(await ask('Me <me@example.com>', me))).toMatch(/\(logged\)/);

      // Act: carol answers the user, with the log address the user had in Cc.
      const reply = await send(
        await carolsReply({
          subject: 'Re: Tenants copied id',
          to: 'Me <me@example.com>',
          cc: log,
          answers: ['<tenants-copied@example.com>'],
        }),
        'carol@carol.test',
      );

      // Assess
      expect(reply).toMatch(/\(logged\)/);
      expect((await incomingOf('me@example.com')).map((m) => m.subject)).toContain(
        'Re: Tenants copied id',
      );
      expect((await incomingOf('mallory@mallory.test')).map((m) => m.subject)).not.toContain(
        'Re: Tenants copied id',
      );
    });

    it('a user who logged a copied Message-ID of mail not sent to the contact gets nothing', async () => {
      // Prepare: mallory logs a message to someone else under the id the user sent to carol.
      expect(
        await send(
          await aSignedRaw(
            rawMail([
              'From: Mallory <mallory@mallory.test>',
              'To: Dan <dan@dan.test>',
              'Subject: Tenants other recipient',
              'Date: Mon, 02 Mar 2026 09:00:00 +0000',
              'Message-ID: <tenants-other@example.com>',
            ]),
            mallory,
          ),
          'mallory@mallory.test',
        ),
      ).toMatch(/\(logged\)/);
      expect(
        await send(
          await aSignedRaw(
            rawMail([
              'From: Me <me@example.com>',
              'To: Carol <carol@carol.test>',
              'Subject: Tenants other recipient',
              'Date: Mon, 02 Mar 2026 09:00:00 +0000',
              'Message-ID: <tenants-other@example.com>',
            ]),
            me,
          ),
        ),
      ).toMatch(/\(logged\)/);

      // Act: carol answers both of them (mallory in Cc, so only the Message-ID decides).
      await send(
        await carolsReply({
          subject: 'Re: Tenants other recipient',
          to: 'Me <me@example.com>',
          cc: `mallory@mallory.test, ${log}`,
          answers: ['<tenants-other@example.com>'],
        }),
        'carol@carol.test',
      );

      // Assess
      expect((await incomingOf('me@example.com')).map((m) => m.subject)).toContain(
        'Re: Tenants other recipient',
      );
      expect((await incomingOf('mallory@mallory.test')).map((m) => m.subject)).not.toContain(
        'Re: Tenants other recipient',
      );
    });

    it('a reply that arrived first still reaches its owner when another user logs a copy of the Message-ID before the owner does', async () => {
      // Prepare: carol's reply arrives before anything it answers is logged, and waits.
      const ask = (from: string, key: typeof me) =>
        aSignedRaw(
          rawMail([
            `From: ${from}`,
            'To: Carol <carol@carol.test>',
            'Subject: Tenants parked',
            'Date: Mon, 02 Mar 2026 09:00:00 +0000',
            'Message-ID: <tenants-parked@example.com>',
          ]),
          key,
        );
      await send(
        await carolsReply({
          subject: 'Re: Tenants parked',
          to: 'Me <me@example.com>',
          cc: log,
          answers: ['<tenants-parked@example.com>'],
        }),
        'carol@carol.test',
      );

      // Act: mallory logs a copy of the Message-ID first, then the user's own mail arrives.
      await send(await ask('Mallory <mallory@mallory.test>', mallory), 'mallory@mallory.test');
      await send(await ask('Me <me@example.com>', me));

      // Assess
      expect((await incomingOf('mallory@mallory.test')).map((m) => m.subject)).not.toContain(
        'Re: Tenants parked',
      );
      expect((await incomingOf('me@example.com')).map((m) => m.subject)).toContain(
        'Re: Tenants parked',
      );
    });

    it('a sender the user never wrote to cannot answer into the thread, however authenticated', async () => {
      // Prepare: the user asks carol; mallory (a real, signing sender) copies the Message-ID.
      expect(
        await send(
          await aSignedRaw(
            rawMail([
              'From: Me <me@example.com>',
              'To: Carol <carol@carol.test>',
              'Subject: Tenants outsider',
              'Date: Mon, 02 Mar 2026 09:00:00 +0000',
              'Message-ID: <tenants-outsider@example.com>',
            ]),
            me,
          ),
        ),
      ).toMatch(/\(logged\)/);
      const outsider = await aSignedRaw(
        rawMail(
          [
            'From: Evil <evil@evil.test>',
            'To: Me <me@example.com>',
            `Cc: ${log}`,
            'Subject: Re: Tenants outsider',
            'Date: Mon, 02 Mar 2026 10:00:00 +0000',
            'Message-ID: <outsider-reply@evil.test>',
            'In-Reply-To: <tenants-outsider@example.com>',
          ],
          'Here is the invoice you asked for.',
        ),
        evil,
      );

      // Act
      const reply = await send(outsider, 'evil@evil.test');

      // Assess
      expect(reply).toMatch(/\(rejected\)/);
      expect(await rejectionOf('Re: Tenants outsider')).toMatchObject({ reason: 'unknown-sender' });
      expect((await incomingOf('me@example.com')).map((m) => m.subject)).not.toContain(
        'Re: Tenants outsider',
      );
    });

    it('two users who really share a thread each keep the reply their own mail shows', async () => {
      // Prepare: the user asks carol with mallory in Cc; mallory answers all, Bcc-ing her log.
      expect(
        await send(
          await aSignedRaw(
            rawMail([
              'From: Me <me@example.com>',
              'To: Carol <carol@carol.test>',
              'Cc: Mallory <mallory@mallory.test>',
              'Subject: Tenants shared',
              'Date: Mon, 02 Mar 2026 09:00:00 +0000',
              'Message-ID: <tenants-shared-1@example.com>',
            ]),
            me,
          ),
        ),
      ).toMatch(/\(logged\)/);
      expect(
        await send(
          await aSignedRaw(
            rawMail([
              'From: Mallory <mallory@mallory.test>',
              'To: Me <me@example.com>',
              'Cc: Carol <carol@carol.test>',
              'Subject: Re: Tenants shared',
              'Date: Mon, 02 Mar 2026 09:30:00 +0000',
              'Message-ID: <tenants-shared-2@mallory.test>',
              'In-Reply-To: <tenants-shared-1@example.com>',
              'References: <tenants-shared-1@example.com>',
            ]),
            mallory,
          ),
          'mallory@mallory.test',
        ),
      ).toMatch(/\(logged\)/);

      // Act: carol answers mallory's message to both of them, the user's log in Cc.
      await send(
        await carolsReply({
          subject: 'Re: Re: Tenants shared',
          to: 'Mallory <mallory@mallory.test>',
          cc: `Me <me@example.com>, ${log}`,
          answers: ['<tenants-shared-1@example.com>', '<tenants-shared-2@mallory.test>'],
        }),
        'carol@carol.test',
      );

      // Assess
      expect((await incomingOf('me@example.com')).map((m) => m.subject)).toContain(
        'Re: Re: Tenants shared',
      );
      expect((await incomingOf('mallory@mallory.test')).map((m) => m.subject)).toContain(
        'Re: Re: Tenants shared',
      );
    });
  });

  describe('a transient failure is a retry', () => {
    it.each([
      ['a DNS timeout', 'sam@slow.test', 'Transient timeout', false],
      ['a DNS SERVFAIL', 'bo@broken.test', 'Transient servfail', false],
      ['a DKIM key lookup timeout', 'sam@slow.test', 'Transient key timeout', true],
    ])('%s while judging the sender answers 451', async (_, from, subject, signed) => {
      // Prepare
      const raw = question(subject, from);

      // Act
      const sending = send(signed ? await aSignedRaw(raw, slow) : raw, from);

      // Assess
      await expect(sending).rejects.toMatchObject({ responseCode: 451 });
      expect(await rejectionOf(subject)).toBeUndefined();
    });
  });

  it('a null envelope sender marks the mail automated, as SES Return-Path does', async () => {
    // Act
    const reply = await send(await aSignedRaw(question('Null sender', 'me@example.com'), me), '');

    // Assess
    expect(reply).toMatch(/\(rejected\)/);
    expect(await rejectionOf('Null sender')).toMatchObject({
      reason: 'auto-reply',
      detail: 'empty return-path',
    });
  });

  it('an unauthenticated reply to a Message-ID is refused before anything is parked for it', async () => {
    // Prepare: a "reply" from a stranger, unsigned, naming a Message-ID nobody logged yet
    const answered = 'not-logged-yet@example.com';
    const raw = rawMail([
      'From: Eve <eve@evil.test>',
      `To: ${log}`,
      'Subject: Re: Parked for ever',
      'Date: Mon, 02 Mar 2026 10:00:00 +0000',
      'Message-ID: <parked-forever@evil.test>',
      `In-Reply-To: <${answered}>`,
    ]);

    // Act
    const reply = await send(raw, 'eve@evil.test');

    // Assess
    expect(reply).toMatch(/\(rejected\)/);
    expect(await rejectionOf('Re: Parked for ever')).toMatchObject({
      reason: 'sender-not-authenticated',
    });
    expect(await stack.services.store.parkedReplies(answered)).toEqual([]);
  });
});
