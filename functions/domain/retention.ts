/**
 * How long raw mail, its receipt and a reply waiting for the message it answers are kept: days,
 * not months (DESIGN.md section 3). Long enough to redrive a failed ingest from the on-failure
 * queue, which keeps events as long.
 */
export const rawMailRetentionDays = 14;

/**
 * Mail logged more than this many days after its date is "very late": a view that meets it reads
 * every message again instead of folding it on a history checkpoint (docs/storage.md).
 */
export const lateMailDays = 30;

/** Once a history checkpoint holds a message, its item expires this many months after its date. */
export const historyHorizonMonths = 13;
