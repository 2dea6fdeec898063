import { describe, expect, it } from 'vitest';
import {
  authservIdOf,
  dkimPassDomains,
  parseAuthResults,
  receivingServerResults,
} from '#domain/authentication-results.ts';

const sesHeader =
  'amazonses.com; spf=pass (spfCheck: domain of example.com designates 203.0.113.1 as permitted sender; fine) smtp.mailfrom=me@example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;';

describe('Authentication-Results', () => {
  it('reads the authserv-id, without a version or comment', () => {
    expect(authservIdOf(sesHeader)).toBe('amazonses.com');
    expect(authservIdOf('mx.google.com 1; dkim=pass')).toBe('mx.google.com');
    expect(authservIdOf('(comment) MX.Example.org; none')).toBe('mx.example.org');
  });

  it('reads each method, its result and properties, ignoring comments that hold semicolons', () => {
    expect(parseAuthResults(sesHeader)).toEqual([
      { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'me@example.com' } },
      { method: 'dkim', result: 'pass', properties: { 'header.i': '@example.com' } },
      { method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.com' } },
    ]);
  });

  it('takes only the topmost header, and only when the receiving server wrote it', () => {
    const headers = [
      'amazonses.com; dkim=fail header.d=example.com',
      'amazonses.com; dkim=pass header.d=example.com',
    ];

    expect(receivingServerResults(headers, 'amazonses.com')).toEqual([
      { method: 'dkim', result: 'fail', properties: { 'header.d': 'example.com' } },
    ]);
    expect(receivingServerResults(['mx.other.example; dkim=pass'], 'amazonses.com')).toEqual([]);
  });

  it('believes nothing below another server header when the receiving server wrote none', () => {
    const headers = [
      'mx.elsewhere.example; dkim=pass header.d=forged.example',
      'amazonses.com; dkim=pass header.d=example.com',
    ];

    expect(receivingServerResults(headers, 'amazonses.com')).toEqual([]);
  });

  it.each([
    ['header.i with two @', 'dkim=pass header.i=@evil.example@example.com'],
    ['header.d with an @', 'dkim=pass header.d=@example.com'],
    ['header.d a single label', 'dkim=pass header.d=com'],
    ['header.i outside header.d', 'dkim=pass header.d=evil.example header.i=@example.com'],
    ['header.i without an @', 'dkim=pass header.i=example.com'],
  ])('reads no DKIM pass from %s', (_, results) => {
    expect(dkimPassDomains(parseAuthResults(`amazonses.com; ${results}`))).toEqual([]);
  });

  it('lists the domains whose DKIM passed, from header.d or header.i', () => {
    const results = parseAuthResults(
      'amazonses.com; dkim=pass header.d=Example.com; dkim=fail header.d=other.example; dkim=pass header.i=news@mail.example.org',
    );
    expect(dkimPassDomains(results)).toEqual(['example.com', 'mail.example.org']);
  });
});
