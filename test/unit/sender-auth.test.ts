import { describe, expect, it } from 'vitest';
import type { Verdicts } from '#domain/model.ts';
import { aligned, judgeSender } from '#domain/sender-auth.ts';

const me = 'me@example.com';
const passing = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
const notDmarc = { ...passing, dmarc: 'FAIL' };
const ses = (over: Partial<Verdicts> = {}): Verdicts => ({ source: 'ses', ...passing, ...over });
const sesAr = (results: string) => `amazonses.com; ${results}`;

/** The authentication matrix: who is believed, on each runtime's verdict path. */
describe('judgeSender', () => {
  it.each<[string, Parameters<typeof judgeSender>[0], string]>([
    [
      'the operator vouched',
      { verdicts: { source: 'operator' }, fromAddress: me },
      'the operator vouched for the sender',
    ],
    [
      'local mode is relaxed',
      { verdicts: { source: 'relaxed' }, fromAddress: me },
      'local mode with sender authentication relaxed',
    ],
    [
      'SES says DMARC PASS for the From domain',
      {
        verdicts: ses(),
        fromAddress: me,
        authenticationResults: [sesAr('dmarc=pass header.from=example.com')],
      },
      'DMARC pass for example.com',
    ],
    [
      'SES says DMARC pass in lower case',
      {
        verdicts: { source: 'ses', dmarc: 'pass' },
        fromAddress: 'Me@Example.COM',
        authenticationResults: [sesAr('dmarc=pass header.from=Example.com')],
      },
      'DMARC pass for example.com',
    ],
    [
      'mailauth says DMARC pass for the one From address it read, the same',
      { verdicts: { source: 'mailauth', dmarc: 'pass', fromAddresses: [me] }, fromAddress: me },
      'DMARC pass for example.com',
    ],
    [
      'SES DMARC fails but its own Authentication-Results show DKIM pass for the From domain',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [
          sesAr(
            'spf=fail smtp.mailfrom=x@bulk.example; dkim=pass header.i=@example.com; dmarc=fail header.from=example.com',
          ),
        ],
      },
      'DKIM pass for example.com, aligned with example.com',
    ],
    [
      'DKIM pass for a subdomain of the From domain (relaxed alignment)',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.d=mail.example.com')],
      },
      'DKIM pass for mail.example.com, aligned with example.com',
    ],
    [
      'mailauth reports an aligned DKIM pass',
      {
        verdicts: { source: 'mailauth', dmarc: 'fail', dkimPassDomains: ['example.com'] },
        fromAddress: me,
      },
      'DKIM pass for example.com, aligned with example.com',
    ],
  ])('believes the sender when %s', (_, input, because) => {
    expect(judgeSender(input)).toEqual({ ok: true, because });
  });

  it.each<[string, Parameters<typeof judgeSender>[0], RegExp]>([
    [
      'there are no verdicts at all',
      { verdicts: { source: 'none' }, fromAddress: me },
      /no authentication verdicts/,
    ],
    [
      'a forged From without DKIM',
      {
        verdicts: ses({ dmarc: 'FAIL', dkim: 'GRAY', spf: 'FAIL' }),
        fromAddress: me,
        authenticationResults: [sesAr('spf=fail; dkim=none; dmarc=fail')],
      },
      /DMARC FAIL and no DKIM pass aligned with example.com/,
    ],
    [
      'DKIM passed for a different domain than From (not aligned)',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.d=bulk-mailer.example; dmarc=fail')],
      },
      /DKIM passed only for bulk-mailer.example/,
    ],
    [
      'DMARC FAIL with p=none',
      {
        verdicts: ses({ dmarc: 'FAIL', dkim: 'FAIL' }),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=fail; dmarc=fail (p=NONE) header.from=example.com')],
      },
      /DMARC FAIL/,
    ],
    [
      'a forged Authentication-Results below the real one',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [
          sesAr('dkim=none; dmarc=fail'),
          sesAr('dkim=pass header.d=example.com; dmarc=pass'),
        ],
      },
      /no DKIM pass aligned/,
    ],
    [
      'an Authentication-Results of another server claiming a pass',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: ['mx.evil.example; dkim=pass header.d=example.com'],
      },
      /no DKIM pass aligned/,
    ],
    [
      'a lookalike domain signed the message',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.d=examp1e.com')],
      },
      /DKIM passed only for examp1e.com/,
    ],
    [
      'a shared public suffix is all the domains have in common',
      {
        verdicts: { source: 'mailauth', dmarc: 'fail', dkimPassDomains: ['attacker.co.uk'] },
        fromAddress: 'me@victim.co.uk',
      },
      /no DKIM pass aligned/,
    ],
    [
      'mailauth finds no DMARC and no DKIM',
      { verdicts: { source: 'mailauth', dmarc: 'none' }, fromAddress: me },
      /DMARC NONE/,
    ],
    ['DMARC GRAY', { verdicts: ses({ dmarc: 'GRAY' }), fromAddress: me }, /DMARC GRAY/],
    [
      'SES says DMARC PASS but its own header names another From domain',
      {
        verdicts: ses(),
        fromAddress: me,
        authenticationResults: [sesAr('dmarc=pass header.from=evil.example')],
      },
      /DMARC passed for evil.example, not example.com/,
    ],
    [
      'SES says DMARC PASS but its own header is missing',
      {
        verdicts: ses(),
        fromAddress: me,
        authenticationResults: [
          'mx.elsewhere.example; none',
          sesAr('dkim=pass header.d=example.com; dmarc=pass header.from=example.com'),
        ],
      },
      /DMARC passed for an unnamed domain/,
    ],
    [
      'SES names two DMARC results',
      {
        verdicts: ses(),
        fromAddress: me,
        authenticationResults: [
          sesAr('dmarc=pass header.from=example.com; dmarc=pass header.from=evil.example'),
        ],
      },
      /DMARC passed for an unnamed domain/,
    ],
    [
      'a DKIM header.i with two @',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.i=@evil.example@example.com')],
      },
      /no DKIM pass aligned with example.com$/,
    ],
    [
      'a DKIM header.d that is no host name',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.d=@example.com')],
      },
      /no DKIM pass aligned with example.com$/,
    ],
    [
      'a DKIM header.i outside its header.d',
      {
        verdicts: ses(notDmarc),
        fromAddress: me,
        authenticationResults: [sesAr('dkim=pass header.d=evil.example header.i=@example.com')],
      },
      /no DKIM pass aligned with example.com$/,
    ],
    [
      'DKIM passed for another site under the same private suffix',
      {
        verdicts: ses(notDmarc),
        fromAddress: 'alice@alice.github.io',
        authenticationResults: [sesAr('dkim=pass header.d=evil.github.io')],
      },
      /DKIM passed only for evil.github.io/,
    ],
    [
      'mailauth passed DMARC without saying which From it read',
      { verdicts: { source: 'mailauth', dmarc: 'pass' }, fromAddress: me },
      /DMARC passed for an unnamed domain/,
    ],
  ])('does not believe the sender when %s', (_, input, detail) => {
    const judged = judgeSender(input);

    expect(judged.ok).toBe(false);
    expect(!judged.ok && judged.reason).toBe('sender-not-authenticated');
    expect(!judged.ok && judged.detail).toMatch(detail);
  });

  it.each<[string, Verdicts, 'spam' | 'virus']>([
    ['spam FAIL', ses({ spam: 'FAIL' }), 'spam'],
    ['virus FAIL', ses({ virus: 'FAIL' }), 'virus'],
    ['virus FAIL even when the operator vouched', { source: 'operator', virus: 'FAIL' }, 'virus'],
    ['spam FAIL in relaxed mode', { source: 'relaxed', spam: 'fail' }, 'spam'],
  ])('refuses %s whatever else passed', (_, verdicts, reason) => {
    expect(judgeSender({ verdicts, fromAddress: me })).toMatchObject({ ok: false, reason });
  });

  it.each<[string, string[]]>([
    ['two addresses', [me, 'evil@evil.example']],
    ['another address', ['evil@evil.example']],
    ['no address', []],
  ])('refuses as ambiguous when mailauth read %s from From', (_, fromAddresses) => {
    expect(
      judgeSender({
        verdicts: { source: 'mailauth', dmarc: 'pass', fromAddresses },
        fromAddress: me,
      }),
    ).toMatchObject({ ok: false, reason: 'ambiguous-from' });
  });

  it.each<[string, Verdicts]>([
    ['mailauth could not reach DNS for DMARC', { source: 'mailauth', dmarc: 'temperror' }],
    ['mailauth could not fetch the DKIM key', { source: 'mailauth', dkim: 'temperror' }],
    ['SES could not compute DMARC', ses({ dmarc: 'PROCESSING_FAILED', dkim: 'GRAY' })],
  ])('asks for a retry when %s and nothing else passed', (_, verdicts) => {
    expect(judgeSender({ verdicts, fromAddress: me })).toMatchObject({
      ok: false,
      reason: 'sender-check-unavailable',
    });
  });

  it('does not wait for DNS when an aligned DKIM pass already decides', () => {
    expect(
      judgeSender({
        verdicts: { source: 'mailauth', dmarc: 'temperror', dkimPassDomains: ['example.com'] },
        fromAddress: me,
      }),
    ).toMatchObject({ ok: true });
  });
});

describe('aligned', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['mail.example.com', 'example.com', true],
    ['example.com', 'news.example.com', true],
    ['Example.COM', 'example.com', true],
    ['examp1e.com', 'example.com', false],
    ['example.com.evil.example', 'example.com', false],
    ['attacker.co.uk', 'victim.co.uk', false],
    ['evil.github.io', 'alice.github.io', false],
    ['mail.alice.github.io', 'alice.github.io', true],
    ['', 'example.com', false],
  ])('%s with %s: %s', (signer, from, expected) => {
    expect(aligned(signer, from)).toBe(expected);
  });
});
