import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { encodedWord, encodeText, rawMessageBytes } from '../support/corpus-charsets.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

/** The header lines every message here starts with: from the user, with a Message-ID of its own. */
const fromMe = (messageId: string, subject: string) => [
  'From: Me <me@example.com>',
  `Subject: ${subject}`,
  'Date: Mon, 2 Mar 2026 10:15:00 +0100',
  `Message-ID: ${messageId}`,
  'MIME-Version: 1.0',
];

describe('real-world mail through the local SMTP front door', () => {
  let stack: TestStack;
  let me: User;

  const send = (raw: string | Buffer, from = 'me@example.com') =>
    stack.sendRaw({ from, to: [log] }, raw);
  /** Each contact's ledger, as `givefirst contacts` shows it. */
  const contactsOf = async (user: User = me) =>
    Object.fromEntries(
      (await stack.services.relationships(user)).ledger.map((c) => [c.address, c]),
    );
  const rejectionOf = async (subject: string) =>
    (await stack.services.store.listRejections({ days: 2, limit: 500 })).find(
      (r) => r.subject === subject,
    );
  const storedMessage = (messageId: string, user: User = me) =>
    stack.storedMessage(user.userId, messageId);

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: 'fixed:2026-03-02T12:00:00Z' });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('charsets other than UTF-8', () => {
    it.each([
      {
        charset: 'ISO-2022-JP',
        transfer: '7bit',
        name: '山田太郎',
        address: 'taro@example.jp',
        subject: '会議の件',
        body: '明日の会議に参加できますか？',
      },
      {
        charset: 'windows-1251',
        transfer: '8bit',
        name: 'Иван Петров',
        address: 'ivan@example.ru',
        subject: 'Встреча в пятницу',
        body: 'Привет! Сможешь прийти завтра?',
      },
      {
        charset: 'GBK',
        transfer: 'base64',
        name: '王小明',
        address: 'wang@example.cn',
        subject: '项目进展',
        body: '你好，明天有空吗？',
      },
      {
        charset: 'Big5',
        transfer: '8bit',
        name: '陳大文',
        address: 'chan@example.tw',
        subject: '會議時間',
        body: '你好，明天有空嗎？',
      },
      {
        charset: 'KS_C_5601-1987',
        transfer: '8bit',
        name: '김철수',
        address: 'kim@example.kr',
        subject: '회의 일정',
        body: '안녕하세요, 내일 시간 있으세요?',
      },
      {
        charset: 'UTF-7',
        transfer: '7bit',
        name: 'Zoë Ærø',
        address: 'zoe@example.com',
        subject: 'Café tomorrow, 1+1',
        body: 'Are you free for a café? Ünïcödé, a+b',
      },
    ])('decodes a $charset subject, display name and body', async (c) => {
      // Prepare
      const messageId = `<charset-${c.charset}@mail.example.com>`;
      const bodyBytes = encodeText(`${c.body}\r\n`, c.charset);
      const raw = rawMessageBytes(
        [
          ...fromMe(messageId, encodedWord(c.subject, c.charset, 'B')),
          `To: ${encodedWord(c.name, c.charset, 'Q')} <${c.address}>`,
          `Content-Type: text/plain; charset=${c.charset}`,
          `Content-Transfer-Encoding: ${c.transfer}`,
        ],
        c.transfer === 'base64' ? `${bodyBytes.toString('base64')}\r\n` : bodyBytes,
      );

      // Act
      const reply = await send(raw);

      // Assess
      expect(reply).toMatch(/logged/);
      expect(await storedMessage(messageId)).toMatchObject({ subject: c.subject, snippet: c.body });
      expect((await contactsOf())[c.address]?.name).toBe(c.name);
    });

    it('reads undeclared 8-bit headers and body as UTF-8', async () => {
      // Prepare: no charset anywhere, UTF-8 bytes in the Subject, the To name and the body
      const messageId = '<undeclared-8bit@mail.example.com>';
      const raw = rawMessageBytes(
        [...fromMe(messageId, 'Grüße aus Köln'), 'To: Jörg Müller <joerg@example.de>'],
        'Schöne Grüße, hast du morgen Zeit?\r\n',
      );

      // Act
      const reply = await send(raw);

      // Assess
      expect(reply).toMatch(/logged/);
      expect(await storedMessage(messageId)).toMatchObject({
        subject: 'Grüße aus Köln',
        snippet: 'Schöne Grüße, hast du morgen Zeit?',
      });
      expect((await contactsOf())['joerg@example.de']?.name).toBe('Jörg Müller');
    });
  });

  describe('internationalised addresses', () => {
    it('counts an address written with a Unicode domain and with its punycode as one contact', async () => {
      // Prepare
      const first = rawMessageBytes(
        [
          ...fromMe('<idn-1@mail.example.com>', 'Bücher'),
          'To: Jörg <jörg@bücher.example>, Ann <ann@BÜCHER.example>',
        ],
        'Do you have the book?',
      );
      const second = rawMessageBytes(
        [
          ...fromMe('<idn-2@mail.example.com>', 'Bücher again'),
          'To: jörg@xn--bcher-kva.example, ann@xn--bcher-kva.example',
        ],
        'Any news on the book?',
      );

      // Act
      const replies = [await send(first), await send(second)];

      // Assess
      expect(replies.every((r) => /logged/.test(r))).toBe(true);
      const contacts = await contactsOf();
      expect(contacts['jörg@xn--bcher-kva.example']).toMatchObject({ name: 'Jörg', touchesOut: 2 });
      expect(contacts['ann@xn--bcher-kva.example']).toMatchObject({ name: 'Ann', touchesOut: 2 });
      expect(Object.keys(contacts).filter((a) => a.includes('bücher'))).toEqual([]);
    });

    it('recognises a user registered with a Unicode-domain alias as the sender', async () => {
      // Prepare
      const added = await stack.services.registerUser({
        email: 'yuki@example.org',
        aliases: ['yuki@bücher.example'],
        timeZone: 'Asia/Tokyo',
      });
      if (!added.ok) throw new Error(added.problems.join('; '));
      const raw = rawMessageBytes(
        [
          'From: Yuki <yuki@bücher.example>',
          'Subject: From my other address',
          'Message-ID: <idn-alias@mail.example.com>',
          'To: ken@example.jp',
        ],
        'Shall we meet?',
      );

      // Act
      const reply = await send(raw, 'yuki@xn--bcher-kva.example');

      // Assess
      expect(reply).toMatch(/logged/);
      expect((await contactsOf(added.user))['ken@example.jp']?.touchesOut).toBe(1);
    });
  });

  describe('addresses that are not there', () => {
    it('never takes an encoded-word that decodes to an address for the From address', async () => {
      // Act
      const reply = await send(
        aRawMessage({ from: '=?utf-8?b?bWVAZXhhbXBsZS5jb20=?=', subject: 'Fabricated from' }),
      );

      // Assess
      expect(reply).toMatch(/rejected/);
      expect(await rejectionOf('Fabricated from')).toMatchObject({ reason: 'no-from-address' });
    });

    it('takes the real address, not the encoded display name, as the sender', async () => {
      const reply = await send(
        aRawMessage({
          from: '"=?utf-8?b?bWVAZXhhbXBsZS5jb20=?=" <mallory@evil.example>',
          subject: 'Display-name from',
        }),
        'mallory@evil.example',
      );

      expect(reply).toMatch(/rejected/);
      // A display name that decodes to an address is refused before any user is looked up.
      expect(await rejectionOf('Display-name from')).toMatchObject({
        reason: 'ambiguous-from',
        from: 'mallory@evil.example',
      });
    });

    it('never makes a contact of an encoded-word that decodes to an address', async () => {
      const onlyFabricated = await send(
        aRawMessage({ to: '=?utf-8?q?bob=40y.com?=', subject: 'Fabricated to' }),
      );
      const withCc = await send(
        aRawMessage({
          to: '=?utf-8?q?bob=40y.com?=',
          cc: 'carol@z.com',
          subject: 'Fabricated to, Cc',
        }),
      );

      expect(onlyFabricated).toMatch(/rejected/);
      expect(await rejectionOf('Fabricated to')).toMatchObject({ reason: 'nothing-to-track' });
      expect(withCc).toMatch(/logged/);
      const contacts = await contactsOf();
      expect(contacts['carol@z.com']?.touchesOut).toBe(1);
      expect(contacts['bob@y.com']).toBeUndefined();
    });

    it('rejects a From that is only a display name', async () => {
      const reply = await send(aRawMessage({ from: 'Me Myself', subject: 'Name only' }));

      expect(reply).toMatch(/rejected/);
      expect(await rejectionOf('Name only')).toMatchObject({ reason: 'no-from-address' });
    });
  });

  describe('broken and extreme MIME', () => {
    it('logs a multipart message whose closing boundary is missing', async () => {
      // Prepare
      const messageId = '<no-closing-boundary@mail.example.com>';
      const raw = rawMessageBytes(
        [
          ...fromMe(messageId, 'Unclosed'),
          'To: dora@d.example',
          'Content-Type: multipart/alternative; boundary="b1"',
        ],
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Can we meet on Friday?',
          '--b1',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<p>Can we meet on Friday?</p>',
          '',
        ].join('\r\n'),
      );

      // Act
      const reply = await send(raw);

      // Assess
      expect(reply).toMatch(/logged/);
      expect(await storedMessage(messageId)).toMatchObject({ snippet: 'Can we meet on Friday?' });
    });

    /** A text part inside `depth` levels of multipart/mixed. */
    const nested = (depth: number, messageId: string, subject: string) => {
      let part = 'Content-Type: text/plain; charset=utf-8\r\n\r\nDeep down: are you there?\r\n';
      for (let level = depth; level > 1; level -= 1) {
        part = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n${part}--b${level}--\r\n`;
      }
      return rawMessageBytes(
        [
          ...fromMe(messageId, subject),
          'To: eve@e.example',
          'Content-Type: multipart/mixed; boundary="b1"',
        ],
        `--b1\r\n${part}--b1--\r\n`,
      );
    };

    it('logs the text inside 60 levels of nested multiparts', async () => {
      const messageId = '<nested-60@mail.example.com>';

      const reply = await send(nested(60, messageId, 'Nested 60'));

      expect(reply).toMatch(/logged/);
      expect(await storedMessage(messageId)).toMatchObject({
        snippet: 'Deep down: are you there?',
      });
    });

    it('ends 3000 levels of nested multiparts with an outcome, quickly', async () => {
      const started = Date.now();

      const reply = await send(nested(3000, '<nested-3000@mail.example.com>', 'Nested 3000'));

      // mailparser refuses this depth: the message is rejected as unreadable, and says so
      expect(reply).toMatch(/rejected/);
      const receiptId = /queued as (\w+)/.exec(reply)?.[1];
      const rejections = await stack.services.store.listRejections({ days: 2, limit: 500 });
      expect(rejections.find((r) => r.receiptId === receiptId)).toMatchObject({
        reason: 'unreadable',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('logs a 2 MB single text/plain part with a short snippet', async () => {
      // Prepare
      const messageId = '<two-megabytes@mail.example.com>';
      const line = 'All work and no play makes Jack a dull boy. '.repeat(2).trimEnd();
      const body = `Could you read this long one?\r\n${`${line}\r\n`.repeat(24_000)}`;
      const raw = rawMessageBytes(
        [
          ...fromMe(messageId, 'Two megabytes'),
          'To: fay@f.example',
          'Content-Type: text/plain; charset=utf-8',
        ],
        body,
      );

      // Act
      const reply = await send(raw);

      // Assess
      expect(raw.length).toBeGreaterThan(2 * 1024 * 1024);
      expect(reply).toMatch(/logged/);
      const stored = await storedMessage(messageId);
      expect(stored?.snippet).toMatch(/^Could you read this long one\? All work and no play/);
      expect(String(stored?.snippet ?? '').length).toBeLessThanOrEqual(140);
    });

    it('logs a message whose header block is over 10 KB (300 Received lines)', async () => {
      // Prepare
      const messageId = '<many-hops@mail.example.com>';
      const received = Array.from(
        { length: 300 },
        (_, i) =>
          `Received: from relay${i}.example.net (relay${i}.example.net [192.0.2.${i % 250}])\r\n\tby mx${i}.example.org with ESMTPS id hop${i}; Mon, 2 Mar 2026 10:15:00 +0100`,
      );
      const raw = rawMessageBytes(
        [
          ...received,
          ...fromMe(messageId, 'Many hops'),
          'To: "Gil, G." <gil@g.example>',
          'Content-Type: text/plain; charset=utf-8',
        ],
        'Are you free on Tuesday?',
      );

      // Act
      const reply = await send(raw);

      // Assess
      expect(raw.indexOf('\r\n\r\n')).toBeGreaterThan(10 * 1024);
      expect(reply).toMatch(/logged/);
      expect(await storedMessage(messageId)).toMatchObject({
        subject: 'Many hops',
        snippet: 'Are you free on Tuesday?',
      });
      expect((await contactsOf())['gil@g.example']).toMatchObject({
        name: 'Gil, G.',
        touchesOut: 1,
      });
    });
  });
});
