/**
 * How long raw mail, its receipt and a reply waiting for the message it answers are kept: days,
 * not months (DESIGN.md section 3). Long enough to redrive a failed ingest from the on-failure
 * queue, which keeps events as long.
 */
export const rawMailRetentionDays = 14;
