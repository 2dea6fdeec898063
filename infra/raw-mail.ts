/**
 * Where SES stores the raw MIME of every received message: the S3 action's object key prefix,
 * which the ingest function also gets as RAW_MAIL_PREFIX to find `${prefix}${messageId}`.
 */
export const rawMailPrefix = 'inbound/';

export { rawMailRetentionDays } from '../functions/domain/retention.ts';
