/**
 * Where SES stores the raw MIME of every received message: the S3 action's object key prefix,
 * which the ingest function also gets as RAW_MAIL_PREFIX to find `${prefix}${messageId}`.
 */
export const rawMailPrefix = 'inbound/';

/**
 * Raw mail is kept for days, not months (DESIGN.md section 3): long enough to redrive a failed
 * ingest from the on-failure queue (which keeps events 14 days too), short enough to keep little.
 */
export const rawMailRetentionDays = 14;
