import type { InboundEnvelope } from '#domain/model.ts';

/** The inbound domain the unit tests' envelopes are addressed to. */
export const mailDomain = 'in.givefirst.test';

/** One received message for log@ the inbound domain, with passing SES verdicts. */
export function anEnvelope(overrides: Partial<InboundEnvelope> = {}): InboundEnvelope {
  return {
    receiptId: 'receipt-1',
    rawKey: 'raw/receipt-1',
    recipients: [`log@${mailDomain}`],
    mailFrom: 'me@example.org',
    receivedAt: new Date('2026-03-02T09:00:05Z'),
    verdicts: {
      source: 'ses',
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
      spam: 'PASS',
      virus: 'PASS',
    },
    ...overrides,
  };
}
