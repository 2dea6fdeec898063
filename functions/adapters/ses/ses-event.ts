import type { SESEventRecord } from 'aws-lambda';
import type { InboundEnvelope } from '#domain/model.ts';

/**
 * The envelope of an SES receipt: recipients from `receipt.recipients` (a Bcc'd log address
 * appears only there), the verdicts SES computed, and the S3 key its S3 action wrote
 * (the rule's object key prefix followed by the SES message id).
 */
export function envelopeFromSesRecord(
  record: SESEventRecord,
  rawMailPrefix: string,
): InboundEnvelope {
  const { mail, receipt } = record.ses;
  return {
    receiptId: mail.messageId,
    rawKey: `${rawMailPrefix}${mail.messageId}`,
    recipients: receipt.recipients,
    mailFrom: mail.source,
    receivedAt: new Date(receipt.timestamp),
    verdicts: {
      source: 'ses',
      spf: receipt.spfVerdict?.status,
      dkim: receipt.dkimVerdict?.status,
      dmarc: receipt.dmarcVerdict?.status,
      spam: receipt.spamVerdict?.status,
      virus: receipt.virusVerdict?.status,
    },
  };
}
