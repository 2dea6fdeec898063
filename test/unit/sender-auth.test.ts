import { describe, expect, it } from 'vitest';
import type { Verdicts } from '#domain/model.ts';
import { judgeSender, type SenderJudgement } from '#domain/sender-auth.ts';

const passing = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

describe('judgeSender', () => {
  it.each<[string, Verdicts, SenderJudgement]>([
    [
      'the operator vouched',
      { source: 'operator' },
      { ok: true, because: 'the operator vouched for the sender' },
    ],
    [
      'local mode is relaxed',
      { source: 'relaxed' },
      { ok: true, because: 'local mode with sender authentication relaxed' },
    ],
    ['SES says DMARC PASS', { source: 'ses', ...passing }, { ok: true, because: 'DMARC pass' }],
    [
      'SES says DMARC pass in lower case',
      { source: 'ses', dmarc: 'pass' },
      { ok: true, because: 'DMARC pass' },
    ],
    [
      'mailauth says DMARC PASS',
      { source: 'mailauth', dmarc: 'PASS' },
      { ok: true, because: 'DMARC pass' },
    ],
  ])('believes the sender when %s', (_, verdicts, judgement) => {
    // Act
    const judged = judgeSender(verdicts);

    // Assess
    expect(judged).toEqual(judgement);
  });

  it.each<[string, Verdicts, string]>([
    [
      'no verdicts at all',
      { source: 'none', ...passing },
      'no authentication verdicts were available for this message',
    ],
    [
      'DMARC FAIL',
      { source: 'ses', ...passing, dmarc: 'FAIL', dkim: 'FAIL' },
      'DMARC FAIL, DKIM FAIL',
    ],
    ['DMARC GRAY', { source: 'ses', ...passing, dmarc: 'GRAY' }, 'DMARC GRAY, DKIM PASS'],
    ['DMARC missing', { source: 'ses', spf: 'PASS' }, 'DMARC missing, DKIM missing'],
    [
      'mailauth DMARC none',
      { source: 'mailauth', dmarc: 'none', dkim: 'neutral' },
      'DMARC NONE, DKIM NEUTRAL',
    ],
  ])('does not believe the sender with %s', (_, verdicts, detail) => {
    // Act
    const judged = judgeSender(verdicts);

    // Assess
    expect(judged).toEqual({ ok: false, reason: 'sender-not-authenticated', detail });
  });

  it.each<[string, Verdicts]>([
    ['SES, all else passing', { source: 'ses', ...passing, spam: 'FAIL' }],
    ['an operator who vouched', { source: 'operator', spam: 'fail' }],
    ['relaxed local mode', { source: 'relaxed', spam: 'FAIL' }],
  ])('refuses spam whatever else: %s', (_, verdicts) => {
    // Act
    const judged = judgeSender(verdicts);

    // Assess
    expect(judged).toEqual({ ok: false, reason: 'spam', detail: 'the spam check failed' });
  });

  it.each<[string, Verdicts]>([
    ['SES, all else passing', { source: 'ses', ...passing, virus: 'FAIL' }],
    ['an operator who vouched', { source: 'operator', virus: 'Fail' }],
    ['relaxed local mode, and spam too', { source: 'relaxed', spam: 'FAIL', virus: 'FAIL' }],
  ])('refuses a virus whatever else: %s', (_, verdicts) => {
    // Act
    const judged = judgeSender(verdicts);

    // Assess
    expect(judged).toEqual({ ok: false, reason: 'virus', detail: 'the virus scan failed' });
  });

  it.each(['GRAY', 'PROCESSING_FAILED'])(
    'does not refuse a spam verdict of %s by itself',
    (spam) => {
      // Act
      const judged = judgeSender({ source: 'ses', ...passing, spam });

      // Assess
      expect(judged.ok).toBe(true);
    },
  );
});
