import { Readable } from 'node:stream';
import fc from 'fast-check';
import { authenticate } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import { aSignedRaw, aSigningDomain, aTestDns, type SigningDomain } from '../support/test-dns.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.example.com';
const log = `log@${domain}`;
const user = aSigningDomain('example.com');
const attacker = aSigningDomain('evil.test');
const dns = aTestDns({
  keys: [user, attacker],
  txt: {
    '_dmarc.example.com': 'v=DMARC1; p=reject',
    '_dmarc.evil.test': 'v=DMARC1; p=reject',
  },
});

/**
 * Pieces From values are made of: the user's and the attacker's addresses, and every bit of
 * address syntax where parsers are known to part ways.
 */
const pieces = [
  'me@example.com',
  'evil@evil.test',
  '<me@example.com>',
  '<evil@evil.test>',
  'Me',
  '"Me"',
  '"Me, Myself"',
  '"me@example.com"',
  '"a\\"b"',
  ',',
  ';',
  ':',
  'g:',
  '<>',
  '<',
  '>',
  '@',
  '"',
  '\\',
  '(c)',
  '(me@example.com)',
  '(evil@evil.test)',
  '=?utf-8?q?evil=40evil.test?=',
  '=?utf-8?b?ZXZpbEBldmlsLnRlc3Q=?=',
  '=?utf-8?q?J=C3=BCrgen?=',
  '=?utf-8?q?<evil@evil.test>?=',
  'me@example.com@evil.test',
  '<@evil.test:me@example.com>',
  'Me <me@example.com>',
  'Evil <evil@evil.test>',
  'me@EXAMPLE.com',
  'me@example.com.',
  '[1.2.3.4]',
];

/** The hand table: shapes seen in attacks and in real mail. */
const handTable: string[][] = [
  ['g:<me@example.com>; <evil@evil.test>'],
  ['<evil@evil.test>, <me@example.com>'],
  ['"x" <>, me@example.com'],
  ['me@example.com (evil@evil.test)'],
  ['=?utf-8?q?evil=40evil.test?= <me@example.com>'],
  ['<me@example.com> <evil@evil.test>'],
  ['Me <me@example.com'],
  ['me@example.com', 'evil@evil.test'],
  ['evil@evil.test', 'me@example.com'],
  ['Me <me@example.com>'],
  ['me@example.com'],
  ['"Me, Myself" <me@example.com>'],
  ['=?utf-8?q?J=C3=BCrgen?= <me@example.com>'],
  ['"me@example.com" <me@example.com>'],
  ['"me@example.com" <evil@evil.test>'],
];

const fromHeaders = fc.array(
  fc
    .array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 })
    .chain((parts) => fc.constantFrom(parts.join(' '), parts.join(''))),
  { minLength: 1, maxLength: 2 },
);

function rawMessage(from: string[], n: number): string {
  return `${[
    ...from.map((f) => `From: ${f}`),
    'To: Alice <alice@x.com>',
    `Subject: Differential ${n}`,
    'Date: Mon, 02 Mar 2026 09:00:00 +0000',
    `Message-ID: <differential-${n}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ].join('\r\n')}\r\n\r\nCould we meet on Thursday?\r\n`;
}

/** The From address givefirst reads. */
async function givefirstReads(raw: string): Promise<string | null> {
  const parsed = await parseMail(Readable.from([Buffer.from(raw)]));
  return parsed.from ? parsed.from.address : null;
}

/** The From addresses mailauth reads: the ones its DMARC and alignment are computed for. */
async function mailauthReads(raw: string): Promise<string[]> {
  const result = await authenticate(Buffer.from(raw), {
    mta: domain,
    ip: '192.0.2.1',
    helo: 'mail.example.net',
    sender: 'bounce@example.net',
    resolver: dns,
    disableArc: true,
    disableBimi: true,
  });
  return (result.dkim.headerFrom ?? []).map(normaliseAddress);
}

describe('From read by givefirst and by mailauth: where they differ, nothing is logged', () => {
  let stack: TestStack;
  let n = 0;
  const seen = { differ: 0, logged: 0 };

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      relaxedAuth: false,
      resolver: dns,
      clock: 'fixed:2026-03-02T12:00:00Z',
    });
    await stack.services.registerUser({ email: 'me@example.com' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Sends one From through the strict SMTP door and checks the rule; returns the door's status. */
  async function check(from: string[], signer: SigningDomain): Promise<void> {
    const raw = await aSignedRaw(rawMessage(from, n++), signer);
    const ours = await givefirstReads(raw);
    const theirs = await mailauthReads(raw);
    const reply = await stack.sendRaw({ from: `bounce@${signer.domain}`, to: [log] }, raw);
    const logged = /\(logged\)/.test(reply);
    const differ = theirs.length !== 1 || theirs[0] !== ours;
    if (differ) seen.differ++;
    if (logged) seen.logged++;

    const what = `From: ${from.join(' | From: ')} signed by ${signer.domain}: givefirst ${ours}, mailauth ${theirs.join(', ')}`;
    if (differ) expect(logged, what).toBe(false);
    // Only the user, signing for their own domain, is ever logged.
    if (logged) expect([ours, signer.domain], what).toEqual(['me@example.com', 'example.com']);
  }

  it.each(handTable.map((from) => [from.join(' | '), from]))('hand table: %s', async (_, from) => {
    await check(from as string[], attacker);
    await check(from as string[], user);
  });

  it('generated From headers, signed by the user or by the attacker', async () => {
    await fc.assert(
      fc.asyncProperty(fromHeaders, fc.boolean(), async (from, byUser) => {
        await check(from, byUser ? user : attacker);
      }),
      { numRuns: 100, seed: 20260302 },
    );

    // The property is not vacuous: the runs include both disagreements and logged mail.
    expect(seen.differ).toBeGreaterThan(10);
    expect(seen.logged).toBeGreaterThan(0);
  });
});
