/**
 * Ports: what the use cases need from the outside world, owned by the domain.
 * Adapters (DynamoDB, S3, files, mailparser, the clock) implement them.
 */
import type { Readable } from 'node:stream';
import type { PausedContact } from './help-first.ts';
import type { ColdContact, HistoryCheckpoint, SettledShards } from './history-checkpoint.ts';
import type {
  Classification,
  InboundEnvelope,
  LoggedMessage,
  Outcome,
  ParsedEmail,
  User,
  Verdicts,
} from './model.ts';
import type { StopReason } from './sending-state.ts';
import type { ThreadMessage } from './threads.ts';

export type Clock = () => Date;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Turns raw MIME into what the rules need, streaming; attachments are drained, never kept. */
export type ParseMail = (raw: Readable) => Promise<ParsedEmail>;

/**
 * The sender checks (DKIM, DMARC) run again on a message's raw mail, long after it was received:
 * SPF, which needs the connecting client, is not among them.
 */
export type JudgeAgain = (raw: Readable) => Promise<Verdicts>;

export interface RawMailStore {
  /** Stores a raw message under a key, streaming. */
  put(key: string, raw: Readable | Buffer): Promise<void>;
  open(key: string): Promise<Readable>;
  /** Deletes a raw message; one already gone is no error (a deletion run again). */
  remove(key: string): Promise<void>;
}

/** What is kept of a receipt besides its outcome: enough to list it, never the body. */
export interface ReceiptSummary {
  from?: string;
  subject?: string;
  classification?: Classification;
}

/** Which receipt, and when it arrived (listings are keyed by the arrival day). */
export type ReceiptRef = Pick<InboundEnvelope, 'receiptId' | 'receivedAt'>;

export interface ReceiptRecord {
  envelope: InboundEnvelope;
  outcome: Outcome | null;
  failure: string | null;
}

export interface RejectionView {
  receiptId: string;
  receivedAt: string;
  recipients: string[];
  from: string | null;
  subject: string | null;
  reason: string;
  detail: string;
}

export interface ReceiptStore {
  /** Records a receipt once; a second call returns what the first recorded. */
  beginReceipt(envelope: InboundEnvelope): Promise<ReceiptRecord>;
  finishReceipt(receipt: ReceiptRef, outcome: Outcome, summary: ReceiptSummary): Promise<void>;
  failReceipt(receipt: ReceiptRef, failure: string): Promise<void>;
  listRejections(options: { days: number; limit: number }): Promise<RejectionView[]>;
  /**
   * The receipts redrive should run again: those whose ingest failed, and those begun and left
   * without an outcome for longer than an ingest takes (the process died before it could say so).
   */
  listFailedReceipts(limit: number): Promise<ReceiptRecord[]>;
  getReceipt(receiptId: string): Promise<ReceiptRecord | null>;
  /** Keeps a reply whose owner is not known yet under the Message-IDs it answers. */
  parkReply(answers: string[], receipt: ReceiptRef): Promise<void>;
  /** The receipts parked under a Message-ID. */
  parkedReplies(messageId: string): Promise<string[]>;
  unparkReply(messageId: string, receiptId: string): Promise<void>;
}

export type AddUserResult = { added: true } | { added: false; taken: string[] };

export interface UserStore {
  addUser(user: User): Promise<AddUserResult>;
  findUserByAddress(address: string): Promise<User | null>;
  getUser(userId: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
}

/**
 * What saving a logged message did. `saved`: this receipt logged it, or completes what another
 * receipt of it began and never finished (a crash); `repliesParked`: replies that arrived before it
 * wait to be decided again. `duplicate`: another receipt logged it and finished.
 */
export type SaveResult =
  | { status: 'saved'; repliesParked: boolean }
  | { status: 'duplicate'; loggedBy: string };

export interface LedgerStore {
  /**
   * Saves a logged message. Idempotent, no transaction: the Message-ID owner is written first, the
   * message item last (only if absent): it is the commit point. A retry of the same receipt, or a
   * new receipt of a message whose receipt never finished, completes what a crash left; another
   * receipt of a message already logged is a duplicate and changes nothing.
   */
  saveLoggedMessage(message: LoggedMessage): Promise<SaveResult>;
  /** Every message logged for a user: threads and the ladder are built from them. */
  listMessages(userId: string): Promise<LoggedMessage[]>;
  /** The same messages, with only what building threads reads. */
  listThreadMessages(userId: string): Promise<ThreadMessage[]>;
  /** The users who logged any of these Message-IDs (how a Cc'd reply finds its owner). */
  ownersOfMessages(messageIds: string[]): Promise<string[]>;
  /**
   * The people a user wrote to (To, Cc, Bcc) in those of these Message-IDs that the user logged as
   * sent: whom a Cc'd reply's sender can really have been written to by that user.
   */
  recipientsOfSentMessages(userId: string, messageIds: string[]): Promise<string[]>;
}

/**
 * A user's history checkpoint and the messages logged since it: what the views read instead of
 * every message (docs/storage.md, "Views read what can still matter").
 */
export interface HistoryStore {
  getCheckpoint(userId: string): Promise<HistoryCheckpoint | null>;
  /** When the current checkpoint was built (its head alone), or null when there is none. */
  checkpointBuiltAt(userId: string): Promise<string | null>;
  /**
   * The settled-id filters of these shards (`settledShardOf`), `[]` for a shard none were added to.
   * They only grow: a shard read after a refresh began may hold more ids than the checkpoint read
   * dropped (a lookup that hits one reads every message, as a false positive does).
   */
  getSettledIds(userId: string, shards: number[]): Promise<SettledShards>;
  /**
   * Writes a checkpoint only if it is later than the one there (crash-safe: the settled ids and its
   * chunks first, the head last). False when a later or equal one is there already.
   */
  putCheckpoint(
    userId: string,
    checkpoint: HistoryCheckpoint,
    options?: {
      /** Rewrites the checkpoint of that same `builtAt` (what `forget` does), not a later one. */
      replacing?: boolean;
      /**
       * Ids of the messages it dropped, by shard: added to the shards' filters before the head is
       * put (`withSettledIds`); a shard that holds them all already is not written.
       */
      settle?: ReadonlyMap<number, string[]>;
      /**
       * The contacts it paused cold (`buildCheckpoint`): written apart before the head is put, each
       * shard of them only when it changes (`withColdPaused`).
       */
      cold?: readonly PausedContact[];
    },
  ): Promise<boolean>;
  /** The cold contacts kept apart from the checkpoint: these addresses' (those there), or everyone's. */
  getColdContacts(userId: string, addresses: string[] | 'everyone'): Promise<ColdContact[]>;
  /** A contact out of the cold contacts (`forget`). */
  forgetColdContact(userId: string, address: string): Promise<void>;
  /** The user's messages logged at or after `since`, with only what building threads reads. */
  listThreadMessagesLoggedSince(userId: string, since: string): Promise<ThreadMessage[]>;
  /**
   * Messages a checkpoint now holds: out of the listing of recent messages, and expiring at
   * `expiresAt` (the horizon), in one write each.
   */
  settleMessages(
    userId: string,
    messages: { messageKey: string; expiresAt: Date }[],
  ): Promise<void>;
}

/** What a sent digest showed, kept so that `snooze 2` can be resolved days later. */
export interface DigestItemRef {
  number: number;
  section: 'help-first' | 'waiting';
  kind: string;
  address: string;
  threadKey: string | null;
  messageKey: string | null;
  /** As the digest showed them, so an answer names the item without rebuilding it. */
  name?: string;
  subject?: string | null;
}

export interface DigestRecord {
  localDate: string;
  state: 'sending' | 'sent' | 'failed';
  subject: string;
  items: DigestItemRef[];
  startedAt: string;
  finishedAt: string | null;
  messageId: string | null;
  failure: string | null;
}

/** A user in the slot index, and the slot their next digest was due in. */
export interface DueUser {
  userId: string;
  slot: string;
}

export interface DigestStore {
  /**
   * Records that a user's digest for a local day is being sent: only if none was begun for that
   * day. False when one was (whatever became of it): a digest is never sent twice.
   */
  beginDigest(
    userId: string,
    record: Omit<DigestRecord, 'state' | 'finishedAt' | 'messageId' | 'failure'>,
  ): Promise<boolean>;
  finishDigest(
    userId: string,
    localDate: string,
    outcome: { state: 'sent'; messageId: string } | { state: 'failed'; failure: string },
    at: Date,
  ): Promise<void>;
  getDigest(userId: string, localDate: string): Promise<DigestRecord | null>;
  /** Puts the user in the slot index under their next digest's 15-minute UTC slot. */
  scheduleDigest(
    userId: string,
    next: { slot: string; at: Date; localDate: string },
  ): Promise<void>;
  /** Stops a user's digests at once: out of the slot index, marked stopped, with the reason. */
  pauseDigests(userId: string, at: Date, reason: StopReason): Promise<void>;
  /**
   * Back to active: the stop, the pause and the soft-bounce count cleared and the next digest put in
   * the slot index, in one write.
   */
  resumeDigests(userId: string, next: { slot: string; at: Date; localDate: string }): Promise<void>;
  /**
   * Counts one soft bounce, once per notification id (a set, so a redelivered notification counts
   * once): how many in a row the profile now holds.
   */
  countSoftBounce(userId: string, notificationId: string): Promise<number>;
  /** A delivery: the soft bounces in a row start again from none. */
  clearSoftBounces(userId: string): Promise<void>;
  /** The users whose next digest is in a slot: the sparse, sharded index, never a Scan. */
  usersDueInSlot(slot: string): Promise<string[]>;
  /**
   * The users whose next digest is in a slot after `after` (exclusive; only `upTo` itself when
   * null) up to `upTo` (inclusive), oldest slot first: the slots an outage missed, one Query per
   * UTC day and shard.
   */
  usersDueBetween(after: string | null, upTo: string): Promise<DueUser[]>;
  /** The last slot the scheduler finished, so a missed slot is caught up once. */
  schedulerCursor(): Promise<string | null>;
  setSchedulerCursor(slot: string): Promise<void>;
  /** The let-go (thread, contact) keys already named in a sent digest's footer. */
  letGoShown(userId: string): Promise<string[]>;
  addLetGoShown(userId: string, keys: string[]): Promise<void>;
}

/**
 * Where the scheduler hands due digests when a slot holds more users than one run can send: a
 * worker sends each one with the same send-digest use case. Each entry names the user and the slot
 * they were due in.
 */
export interface DigestQueue {
  enqueue(due: DueUser[]): Promise<void>;
}

/** Sends one composed email (multipart/alternative, with the headers given; mixed with files attached). */
export interface Mailer {
  send(message: OutgoingMail): Promise<{ messageId: string }>;
}

export interface OutgoingMail {
  from: string;
  to: string;
  /** None on the goodbye after a deletion: there is nobody left to reply to. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Files attached (an export); the mail then goes as raw MIME. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string | Buffer;
}

/**
 * What the user said about one thing through reply commands, keyed by what it is about: a
 * (thread, contact) pair, a Help-first item, or a contact (`steerKeys` in steering.ts). Each field
 * is set by one command and only ever overwritten, so applying the same command twice is harmless.
 */
export interface Steer {
  key: string;
  /** Hidden until this local date (yyyy-mm-dd). */
  snoozedUntil?: string | null;
  /** `done`: handled at this instant (ISO). */
  doneAt?: string | null;
  /** `drop` / `let go`: stopped tracking at this instant. */
  droppedAt?: string | null;
  /** `revive`: a let-go pair brought back at this instant. */
  revivedAt?: string | null;
  /**
   * A due pair shown on three digests with nothing done about it: let go at this instant (the
   * digest that found it so records it), for good, past the digest records the rule counts.
   */
  letGoAt?: string | null;
  /** `cadence`: the contact's keep-in-touch cadence. */
  cadenceDays?: number | null;
}

/** Changes to a user's settings made by reply commands (absent fields stay as they are). */
export interface SettingsChange {
  timeZone?: string;
  digestAt?: string;
  frequency?: 'weekdays' | 'daily' | 'weekly';
  pausedUntil?: string | null;
  pausedAt?: string | null;
  /** Added to the never-log list once (an address or @domain). */
  neverLog?: string;
}

export interface SteeringStore {
  /**
   * Records a command mail once per user and message: `new` the first time, `retry` when the same
   * receipt comes back (a crash before it finished), `duplicate` for another copy of the mail.
   */
  beginCommandMail(
    userId: string,
    messageKey: string,
    receiptId: string,
    at: Date,
  ): Promise<'new' | 'retry' | 'duplicate'>;
  /** Claims the one confirmation of a command mail: true only the first time. */
  claimConfirmation(userId: string, messageKey: string): Promise<boolean>;
  /** Counts one confirmation in the user's hour (yyyy-mm-ddThh); false once `limit` were sent. */
  countConfirmation(userId: string, hour: string, limit: number): Promise<boolean>;
  /** Sets the fields given on one steered thing. */
  steer(userId: string, change: Steer): Promise<void>;
  listSteers(userId: string): Promise<Steer[]>;
  updateSettings(userId: string, change: SettingsChange): Promise<void>;
  /** Claims a one-time note to a user (an unknown tag named once): true only the first time. */
  claimNote(userId: string, noteKey: string): Promise<boolean>;
  /** The digest records of a user from a local date on (their numbered items), oldest first. */
  digestsSince(userId: string, localDate: string): Promise<DigestRecord[]>;
}

/** What deleting a user removed, by kind. */
export interface DeletedUser {
  messages: number;
  digests: number;
  /** Steers, command mails, notes, counters, the let-go names shown. */
  other: number;
  addresses: number;
  /** Owner entries of Message-IDs that named only them. */
  ownerRows: number;
  /** Whether this run removed the profile: only one run can, so only one says goodbye. */
  profile: boolean;
  /** Receipts of the mail that logged their messages or brought their command mails. */
  receipts: number;
  /** Raw messages of those receipts. */
  rawMail: number;
}

export interface DeleteUserOptions {
  /** With it, the raw mail of the user's receipts goes too, and the receipts. */
  rawMail?: Pick<RawMailStore, 'remove'>;
  /** A receipt still being handled (the mail that asked for the deletion): it is kept. */
  keepReceipt?: string;
}

export interface UserDeletion {
  /** Removes every item of a user; a second run finishes what a cut-short one left. */
  deleteUser(user: User, options?: DeleteUserOptions): Promise<DeletedUser>;
}

/** The writes `forget` needs beside the other ports: each idempotent by itself. */
export interface AccountStore {
  /** A logged message goes: the user's entry among its Message-ID's owners first, the item last. */
  removeMessage(userId: string, messageKey: string): Promise<void>;
  /** A logged message written again as given (a plain put). */
  replaceMessage(message: LoggedMessage): Promise<void>;
  removeSteers(userId: string, keys: string[]): Promise<void>;
  /** A digest record's numbered items replaced (a plain `SET`). */
  replaceDigestItems(userId: string, localDate: string, items: DigestItemRef[]): Promise<void>;
  removeLetGoShown(userId: string, keys: string[]): Promise<void>;
  /** A receipt's raw mail, then the receipt; one already gone is no error. */
  removeReceipt(receiptId: string, rawMail: Pick<RawMailStore, 'remove'>): Promise<void>;
}

export type Store = ReceiptStore & UserStore & LedgerStore & DigestStore;

/** A domain the operator allowed: its people may join by writing to `start@D`. */
export interface AllowedDomain {
  domain: string;
  allowedAt: string;
}

/** The mails about joining that go to an address at most once a day (or once per welcome). */
export type JoinMailKind = 'welcome' | 'account-exists' | 'not-allowed' | 'how-to-join' | 'joined';

/** What a welcome told the person: the zone their first digests will use unless they say otherwise. */
export interface WelcomeRecord {
  timeZone: string;
}

/** What a mail about joining keeps: the receipt it answered (deleted with the person's data). */
export interface JoinMailRecord extends Partial<WelcomeRecord> {
  receiptId: string;
}

export interface OnboardingStore {
  /** Adds a domain; false when it was already allowed. */
  allowDomain(domain: string, at: Date): Promise<boolean>;
  /** Removes a domain; false when it was not allowed. */
  removeDomain(domain: string): Promise<boolean>;
  allowedDomains(): Promise<AllowedDomain[]>;
  isAllowed(domain: string): Promise<boolean>;
  /** Whether any domain is allowed at all (none: the instance takes no sign-ups by email). */
  anyAllowed(): Promise<boolean>;
  /**
   * Claims one mail of a kind to an address for a day (a conditional put keyed by both, never a
   * read-modify-write): true only the first time, so a hundred messages make one welcome.
   */
  claimJoinMail(
    address: string,
    kind: JoinMailKind,
    day: string,
    record: JoinMailRecord,
  ): Promise<boolean>;
  /** What the welcome of that day told the address, while it is kept. */
  welcomeOf(address: string, day: string): Promise<WelcomeRecord | null>;
}
