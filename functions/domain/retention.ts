import { DateTime } from 'luxon';

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

/**
 * The horizon after a moment (an ISO instant): month arithmetic in UTC, so the expiry is the same
 * whatever the host's zone; read from the epoch milliseconds, not parsed as ISO (ingest computes
 * one for every message).
 */
export const afterHorizon = (iso: string): Date =>
  DateTime.fromMillis(Date.parse(iso), { zone: 'utc' })
    .plus({ months: historyHorizonMonths })
    .toJSDate();

/**
 * A history checkpoint is built again after a digest once it is this many days old, or once this
 * many messages were logged since it, or when the mail since no longer folds on it: each refresh
 * writes what changed of it, and the views read the mail since anyway (docs/storage.md).
 */
export const checkpointRefreshDays = 7;
export const checkpointRefreshMessages = 200;
