import { readFile } from 'node:fs/promises';
import type { SESEvent, SESReceiptStatus } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeFromSesRecord } from '#adapters/ses/ses-event.ts';
import type { Outcome } from '#domain/model.ts';
import { aComposedMessage, aSigningDomain, aTestDns } from '../support/test-dns.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.example.com';
const log = `log@${domain}`;
const exampleKey = aSigningDomain('example.com');
const otherKey = aSigningDomain('bulk-mailer.example');
const lookalikeKey = aSigningDomain('examp1e.com');
const dns = aTestDns({
  keys: [exampleKey, otherKey, lookalikeKey],
  txt: {
    'example.com': 'v=spf1 ip4:192.0.2.10 -all',
    '_dmarc.example.com': 'v=DMARC1; p=none',
    'examp1e.com': 'v=spf1 -all',
  },
});

const aQuestion = (over: { from?: string; subject: string }) => ({
  from: over.from ?? 'Me <me@example.com>',
  to: 'Alice <alice@x.com>',
  subject: over.subject,
  text: 'Could we meet on Thursday?',
  date: new Date('2026-03-02T09:00:00Z'),
});

const statusOf = (outcome: Outcome) =>
  outcome.status === 'rejected' ? `rejected: ${outcome.reason}` : outcome.status;

describe('sender authentication, local runtime: mailauth on the SMTP front door', () => {
  let stack: TestStack;

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

  const sendAs = (raw: Buffer | string, mailFrom = 'me@example.com') =>
    stack.sendRaw({ from: mailFrom, to: [log] }, raw);
  const reasonFor = async (subject: string) =>
    (await stack.services.store.listRejections({ days: 2, limit: 100 })).find(
      (r) => r.subject === subject,
    );

  it.each<[string, () => Promise<Buffer | string>, string, RegExp | null]>([
    [
      'DKIM-signed by the From domain',
      () => aComposedMessage(aQuestion({ subject: 'L signed' }), exampleKey),
      'logged',
      null,
    ],
    [
      'a forged From with no DKIM',
      () => aComposedMessage(aQuestion({ subject: 'L unsigned' })),
      'rejected',
      /no DKIM pass aligned with example.com/,
    ],
    [
      'DKIM pass for a different domain than From',
      () => aComposedMessage(aQuestion({ subject: 'L other domain' }), otherKey),
      'rejected',
      /DKIM passed only for bulk-mailer.example/,
    ],
    [
      'DMARC fail where the policy is p=none',
      () => aComposedMessage(aQuestion({ subject: 'L p none' })),
      'rejected',
      /DMARC FAIL/i,
    ],
    [
      'a lookalike domain signing for the real From',
      () => aComposedMessage(aQuestion({ subject: 'L lookalike' }), lookalikeKey),
      'rejected',
      /only for examp1e.com/,
    ],
    [
      'a forged Authentication-Results claiming a pass',
      async () =>
        `Authentication-Results: ${domain}; dkim=pass header.d=example.com; dmarc=pass header.from=example.com\r\n${await aComposedMessage(aQuestion({ subject: 'L forged results' }))}`,
      'rejected',
      /no DKIM pass aligned/,
    ],
    [
      'a copy of a signed message altered after signing',
      async () =>
        (await aComposedMessage(aQuestion({ subject: 'L altered' }), exampleKey))
          .toString()
          .replace('Could we meet on Thursday?', 'Could you wire me 5000 EUR?'),
      'rejected',
      /no DKIM pass aligned/,
    ],
  ])('%s', async (_, build, expected, detail) => {
    const raw = await build();
    const subject = /Subject: (.*)/.exec(raw.toString())?.[1]?.trim() ?? '';

    const reply = await sendAs(raw);

    expect(reply).toMatch(expected);
    if (detail)
      expect(await reasonFor(subject)).toMatchObject({
        reason: 'sender-not-authenticated',
        detail: expect.stringMatching(detail),
      });
  });

  it('does not take a lookalike From domain for the user', async () => {
    const raw = await aComposedMessage(
      aQuestion({ from: 'Me <me@examp1e.com>', subject: 'L lookalike from' }),
      lookalikeKey,
    );

    await sendAs(raw, 'me@examp1e.com');

    expect(await reasonFor('L lookalike from')).toMatchObject({ reason: 'unknown-sender' });
  });

  it('never reads an address out of an encoded-word', async () => {
    const raw = (await aComposedMessage(aQuestion({ subject: 'L encoded' }), exampleKey))
      .toString()
      .replace(/^From: .*$/m, 'From: =?utf-8?b?bWVAZXhhbXBsZS5jb20=?=');

    await sendAs(raw);

    expect(await reasonFor('L encoded')).toMatchObject({ reason: 'no-from-address' });
  });
});

describe('sender authentication, AWS runtime: SES verdicts and SES Authentication-Results', () => {
  let stack: TestStack;
  let event: SESEvent;

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: 'fixed:2026-03-02T12:00:00Z' });
    await stack.services.registerUser({ email: 'me@example.com' });
    event = JSON.parse(
      await readFile(new URL('../fixtures/ses-lambda-event.json', import.meta.url), 'utf8'),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const status = (s: string): SESReceiptStatus => ({ status: s as SESReceiptStatus['status'] });
  let seq = 0;

  /** Runs one message through the SES path: the event's verdicts, the raw mail as SES stored it. */
  async function receiveViaSes(options: {
    verdicts: Partial<Record<'dmarc' | 'dkim' | 'spf' | 'spam' | 'virus', string>>;
    sesResults: string;
    raw: Buffer | string;
  }): Promise<Outcome> {
    const record = structuredClone(event.Records[0]);
    if (!record) throw new Error('fixture has no record');
    const messageId = `ses-matrix-${seq++}`;
    record.ses.mail.messageId = messageId;
    const v = {
      dmarc: 'PASS',
      dkim: 'PASS',
      spf: 'PASS',
      spam: 'PASS',
      virus: 'PASS',
      ...options.verdicts,
    };
    Object.assign(record.ses.receipt, {
      dmarcVerdict: status(v.dmarc),
      dkimVerdict: status(v.dkim),
      spfVerdict: status(v.spf),
      spamVerdict: status(v.spam),
      virusVerdict: status(v.virus),
      recipients: [log],
    });
    // SES puts its own Authentication-Results on top of the message it stores.
    const stored = `Authentication-Results: amazonses.com; ${options.sesResults}\r\n${options.raw}`;
    await stack.services.rawMail.put(`inbound/${messageId}`, Buffer.from(stored));
    return stack.services.ingest(envelopeFromSesRecord(record, 'inbound/'));
  }

  const plain = (subject: string, from = 'Me <me@example.com>') =>
    aComposedMessage(aQuestion({ subject, from }));

  it.each<
    [
      string,
      Parameters<typeof receiveViaSes>[0] | (() => Promise<Parameters<typeof receiveViaSes>[0]>),
      string,
    ]
  >([
    [
      'DMARC PASS',
      async () => ({
        verdicts: {},
        sesResults: 'dkim=pass header.i=@example.com; dmarc=pass',
        raw: await plain('S pass'),
      }),
      'logged',
    ],
    [
      'DMARC FAIL but SES saw DKIM pass aligned with From',
      async () => ({
        verdicts: { dmarc: 'FAIL' },
        sesResults: 'spf=fail; dkim=pass header.i=@example.com; dmarc=fail',
        raw: await plain('S aligned dkim'),
      }),
      'logged',
    ],
    [
      'a forged From with no DKIM',
      async () => ({
        verdicts: { dmarc: 'FAIL', dkim: 'GRAY', spf: 'FAIL' },
        sesResults: 'spf=fail; dkim=none; dmarc=fail',
        raw: await plain('S forged'),
      }),
      'rejected: sender-not-authenticated',
    ],
    [
      'DKIM pass for a different domain than From',
      async () => ({
        verdicts: { dmarc: 'FAIL' },
        sesResults: 'dkim=pass header.d=bulk-mailer.example; dmarc=fail',
        raw: await plain('S other domain'),
      }),
      'rejected: sender-not-authenticated',
    ],
    [
      'DMARC FAIL with p=none',
      async () => ({
        verdicts: { dmarc: 'FAIL', dkim: 'FAIL' },
        sesResults: 'dkim=fail; dmarc=fail (p=NONE)',
        raw: await plain('S p none'),
      }),
      'rejected: sender-not-authenticated',
    ],
    [
      'a second, forged Authentication-Results below the real one',
      async () => ({
        verdicts: { dmarc: 'FAIL', dkim: 'FAIL' },
        sesResults: 'dkim=fail; dmarc=fail',
        raw: `Authentication-Results: amazonses.com; dkim=pass header.d=example.com; dmarc=pass\r\n${await plain('S forged results')}`,
      }),
      'rejected: sender-not-authenticated',
    ],
    [
      'a lookalike domain signing',
      async () => ({
        verdicts: { dmarc: 'FAIL' },
        sesResults: 'dkim=pass header.d=examp1e.com; dmarc=fail',
        raw: await plain('S lookalike'),
      }),
      'rejected: sender-not-authenticated',
    ],
    [
      'a lookalike From',
      async () => ({
        verdicts: {},
        sesResults: 'dkim=pass header.d=examp1e.com; dmarc=pass',
        raw: await plain('S lookalike from', 'me@examp1e.com'),
      }),
      'rejected: unknown-sender',
    ],
    [
      'an encoded-word From',
      async () => ({
        verdicts: {},
        sesResults: 'dmarc=pass',
        raw: (await plain('S encoded'))
          .toString()
          .replace(/^From: .*$/m, 'From: =?utf-8?b?bWVAZXhhbXBsZS5jb20=?='),
      }),
      'rejected: no-from-address',
    ],
    [
      'spam FAIL',
      async () => ({
        verdicts: { spam: 'FAIL' },
        sesResults: 'dmarc=pass',
        raw: await plain('S spam'),
      }),
      'rejected: spam',
    ],
    [
      'virus FAIL',
      async () => ({
        verdicts: { virus: 'FAIL' },
        sesResults: 'dmarc=pass',
        raw: await plain('S virus'),
      }),
      'rejected: virus',
    ],
  ])('%s', async (_, input, expected) => {
    const outcome = await receiveViaSes(typeof input === 'function' ? await input() : input);

    expect(statusOf(outcome)).toBe(expected);
  });
});

describe('a message whose sender checks could not run, redriven: the checks run again on its raw mail', () => {
  let stack: TestStack;
  let event: SESEvent;
  // The DNS of the redrive: example.com's key as before, and one domain whose DNS is still down.
  const downKey = aSigningDomain('down.example');
  const redriveDns = aTestDns({
    keys: [exampleKey, downKey],
    txt: { '_dmarc.example.com': 'v=DMARC1; p=none' },
    failing: { 'test._domainkey.down.example': 'ETIMEOUT', '_dmarc.down.example': 'ETIMEOUT' },
  });

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      resolver: redriveDns,
      clock: 'fixed:2026-03-02T12:00:00Z',
    });
    await stack.services.registerUser({ email: 'me@example.com' });
    await stack.services.registerUser({ email: 'me@down.example' });
    event = JSON.parse(
      await readFile(new URL('../fixtures/ses-lambda-event.json', import.meta.url), 'utf8'),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  let seq = 0;
  /** An SES delivery whose DKIM and DMARC checks could not run (PROCESSING_FAILED). */
  async function unjudged(raw: Buffer, spam = 'PASS') {
    const record = structuredClone(event.Records[0]);
    if (!record) throw new Error('fixture has no record');
    const messageId = `ses-unjudged-${seq++}`;
    record.ses.mail.messageId = messageId;
    const status = (s: string): SESReceiptStatus => ({ status: s as SESReceiptStatus['status'] });
    Object.assign(record.ses.receipt, {
      dmarcVerdict: status('PROCESSING_FAILED'),
      dkimVerdict: status('PROCESSING_FAILED'),
      spfVerdict: status('PASS'),
      spamVerdict: status(spam),
      virusVerdict: status('PASS'),
      recipients: [log],
    });
    const stored = `Authentication-Results: amazonses.com; dkim=temperror; dmarc=temperror\r\n${raw}`;
    await stack.services.rawMail.put(`inbound/${messageId}`, Buffer.from(stored));
    return envelopeFromSesRecord(record, 'inbound/');
  }
  const failedIds = async () =>
    (await stack.services.store.listFailedReceipts(100)).map((r) => r.envelope.receiptId);
  const question = (subject: string, from = 'Me <me@example.com>') => aQuestion({ subject, from });

  it.each<[string, () => Promise<Buffer>, string]>([
    [
      'signed by the From domain: logged',
      () => aComposedMessage(question('R signed'), exampleKey),
      'logged',
    ],
    [
      'not signed: rejected, with the reason',
      () => aComposedMessage(question('R unsigned')),
      'rejected: sender-not-authenticated',
    ],
  ])('%s', async (_, compose, expected) => {
    const envelope = await unjudged(await compose());
    await expect(stack.services.ingest(envelope)).rejects.toThrow(/kept for redrive/);
    expect(await failedIds()).toContain(envelope.receiptId);

    const redriven = await stack.services.ingest(envelope);

    expect(statusOf(redriven)).toBe(expected);
    expect(await failedIds()).not.toContain(envelope.receiptId);
    // Answered from then on by its outcome, checks not run again.
    expect(statusOf(await stack.services.ingest(envelope))).toBe(expected);
  });

  it('keeps SES’s spam verdict: a spam FAIL is refused whatever the checks now say', async () => {
    const envelope = await unjudged(await aComposedMessage(question('R spam'), exampleKey), 'FAIL');

    const outcome = await stack.services.ingest(envelope);

    expect(statusOf(outcome)).toBe('rejected: spam');
  });

  it('fails again, still kept for redrive, while the checks still cannot run', async () => {
    const envelope = await unjudged(
      await aComposedMessage(question('R still down', 'Me <me@down.example>'), downKey),
    );
    await expect(stack.services.ingest(envelope)).rejects.toThrow(/kept for redrive/);

    await expect(stack.services.ingest(envelope)).rejects.toThrow(/kept for redrive/);
    expect(await failedIds()).toContain(envelope.receiptId);
  });
});
