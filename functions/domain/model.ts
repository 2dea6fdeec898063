/**
 * The shapes the domain speaks in. Nothing here knows about AWS, SMTP or files.
 */

/** One mailbox: a lower-cased address and the display name it came with, if any. */
export interface Mailbox {
  address: string;
  name: string;
}

/** What the parser hands the domain: only what the rules need, never a whole body. */
export interface ParsedEmail {
  /** The From mailbox, or null when it has no usable address. */
  from: Mailbox | null;
  /**
   * Why the From header could be read as another address by another parser (see fromAmbiguity),
   * or null when it is one plain mailbox.
   */
  fromAmbiguity: string | null;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;
  /** The Date header, or null when it is missing or unreadable. */
  date: Date | null;
  /**
   * The date was written to the minute (an inline forward's header block): it means that whole
   * minute, from `date` to its last millisecond.
   */
  dateToTheMinute?: boolean;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Lower-cased header names to their raw (unfolded) values; only the headers the rules read. */
  headers: Record<string, string>;
  /** Every Authentication-Results header, top (latest added) first. */
  authenticationResults: string[];
  /** The top-level content type, e.g. "multipart/report". */
  contentType: string;
  /** The text the sender wrote, as plain text (from text/plain, or derived from HTML). */
  text: string;
  /** A short fingerprint of the body, used when a message has no Message-ID. */
  bodyDigest: string;
  /** The first message attached as message/rfc822 (a forward as attachment), parsed the same way. */
  attachedMessage: ParsedEmail | null;
}

/**
 * A message found inside another one the user sent to the log address alone: forwarded inline
 * (its header block written into the text by the mail client) or attached as message/rfc822.
 * An inline forward has lost its Message-ID, its References and its automation headers.
 */
export interface ForwardedMessage {
  how: 'inline' | 'attached';
  from: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  subject: string;
  /** The original date, or null when it could not be read. */
  date: Date | null;
  /** The date was written without seconds: it means the whole minute. */
  dateToTheMinute: boolean;
  /** The forwarded message's own text (as far as the forward kept it). */
  text: string;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Attached forwards keep their headers (the ones the rules read); inline ones have none. */
  headers: Record<string, string>;
  contentType: string;
}

/** The quoted attribution a reply starts its quote with ("On …, Alice <a@x.com> wrote:"). */
export interface Attribution {
  name: string;
  /** The address, when the attribution gives one. */
  address: string | null;
  /** When the quoted message was sent, when the attribution says (read in the user's zone if it names none). */
  date: Date | null;
  /** The line(s) it was read from, for the evidence shown to the user. */
  line: string;
}

/** What an out-of-office reply says. */
export interface OutOfOffice {
  /**
   * The day the text names for the absence (yyyy-mm-dd): the last day away ("until 3 Dec") or the
   * first day back ("back on 7 Dec"), if it names one after the message was sent. Either way the
   * thread is due on the first business day strictly after it.
   */
  returnsOn: string | null;
}

export type Classification = 'personal' | 'auto-reply' | 'bounce' | 'mailing-list';

/** Sender-authentication verdicts, as the receiving side saw them. */
export interface Verdicts {
  /** Who produced these verdicts. */
  source: 'ses' | 'mailauth' | 'operator' | 'relaxed' | 'none';
  spf?: string;
  dkim?: string;
  dmarc?: string;
  spam?: string;
  virus?: string;
  /** Domains whose DKIM signature passed, where the verdicts' source reports them (mailauth). */
  dkimPassDomains?: string[];
  /** The From addresses the verdicts' source itself read, where it reports them (mailauth). */
  fromAddresses?: string[];
}

/** The envelope of one received message. */
export interface InboundEnvelope {
  /** Stable id of this receipt (SES messageId, or the local front door's id). */
  receiptId: string;
  /** Where the raw MIME is kept. */
  rawKey: string;
  /** Envelope recipients (SMTP RCPT TO / SES receipt.recipients). Bcc'd addresses appear only here. */
  recipients: string[];
  mailFrom: string;
  receivedAt: Date;
  verdicts: Verdicts;
}

export interface User {
  userId: string;
  email: string;
  aliases: string[];
  timeZone: string;
  digestAt: string;
  neverLog: string[];
  createdAt: string;
  /** Which days the digest goes out (weekdays unless the user said `daily` or `weekly`). */
  frequency?: 'weekdays' | 'daily' | 'weekly';
  /** Set while digests are stopped (unsubscribed, or paused by one-click): when they stopped. */
  pausedAt?: string | null;
  /** A `pause 2w`: the local date digests start again. */
  pausedUntil?: string | null;
  /** Why digests were stopped (with `pausedAt`); read through `sendingState`. */
  stoppedBecause?: 'unsubscribed' | 'complaint' | 'hard-bounce' | 'soft-bounces' | null;
}

export type TagKind = 'fyi' | 'ask' | 'promise' | 'gave' | 'thanks';

export type ReplyWindow =
  | { kind: 'business-days'; days: number }
  | { kind: 'days'; days: number }
  | { kind: 'weekday'; weekday: number; label: string };

export interface Tags {
  kinds: TagKind[];
  window: ReplyWindow | null;
  /** Tags as written that were not understood. They are kept on the record, never dropped. */
  unknown: string[];
}

export type ContactRole = 'to' | 'cc' | 'bcc' | 'from';

export interface MessageContact extends Mailbox {
  role: ContactRole;
  /** Whether the user now waits for this person's reply. */
  awaited: boolean;
}

export type SignalKind = 'promise' | 'thanks' | 'ask' | 'gave';

/** Where a help-first signal came from: an explicit tag (which always wins), or the user's own words. */
export type Signal = { by: 'tag' } | { by: 'phrase'; phrase: string };

export type Signals = Partial<Record<SignalKind, Signal>>;

/**
 * A message givefirst keeps: one the user sent (`out`), or one a contact sent them (`in`: a reply
 * Cc'd to the log address, or forwarded to it). Threads and the nudge ladder are computed from
 * these at read time, so the order mail arrives in never matters.
 */
export interface LoggedMessage {
  userId: string;
  /** Stable key of the message within the user's records (from its Message-ID). */
  messageKey: string;
  messageId: string;
  messageIdSource: 'header' | 'derived';
  direction: 'out' | 'in';
  /** How it reached givefirst. */
  via: 'bcc' | 'cc-reply' | 'forward-inline' | 'forward-attached';
  /** The sender: the user for outgoing mail. */
  from: string;
  sentAt: string;
  /** Where sentAt came from: the Date header, the receipt time (no Date), or clamped (a Date in the future or decades ago). */
  dateSource: 'header' | 'receipt' | 'clamped';
  /**
   * When givefirst received it (ISO). A moment in the past is judged only from mail dated and
   * received by then. Messages logged before this was kept have none: their date stands for it.
   */
  receivedAt?: string;
  subject: string;
  snippet: string;
  /** Outgoing: the recipients. Incoming: the sender (role `from`). */
  contacts: MessageContact[];
  tags: Tags;
  asksSomething: boolean;
  broadcast: boolean;
  /** The reply window for the awaited contacts; null when no reply is awaited. */
  window: ReplyWindow | null;
  kind: Classification;
  outOfOffice: OutOfOffice | null;
  /**
   * Promises, thanks, asks and gifts, from tags or the user's own new text; for the message's To
   * contacts (all its contacts when it has no To). Incoming messages carry only tags.
   */
  signals: Signals;
  /** Outgoing: the topmost quoted attribution, reply evidence for the person it names. */
  attribution: Attribution | null;
  inReplyTo: string[];
  references: string[];
  /** One key per event across the ways it can arrive (a reply both Cc'd and forwarded counts once). */
  touchKey: string;
  timeZone: string;
  receiptId: string;
}

export type Outcome =
  | { status: 'logged'; userId: string; messageKey: string; contacts: number; awaited: number }
  | { status: 'duplicate'; userId: string; messageKey: string }
  | { status: 'rejected'; reason: RejectionReason; detail: string; userId?: string }
  /** A reply to a digest or confirmation whose commands were applied. */
  | {
      status: 'steered';
      userId: string;
      commands: number;
      notUnderstood: number;
      confirmed: boolean;
    }
  /** Mail to `start@D`: the welcome was sent, asking the person to reply `yes`. */
  | { status: 'welcomed'; address: string; timeZone: string }
  /** A `yes` to a welcome: the person is a user now (`confirmed`: the one answer went out). */
  | { status: 'joined'; userId: string; confirmed: boolean };

export type RejectionReason =
  | 'unknown-sender'
  | 'sender-not-authenticated'
  | 'spam'
  | 'virus'
  | 'not-for-this-domain'
  | 'unknown-address'
  | 'nothing-to-track'
  | 'auto-reply'
  | 'bounce'
  | 'mailing-list'
  | 'no-from-address'
  | 'ambiguous-from'
  | 'unreadable'
  | 'not-available-yet'
  | 'onboarding-closed'
  | 'domain-not-allowed'
  | 'already-a-user'
  | 'welcome-already-sent'
  | 'join-not-confirmed'
  | 'bad-reply-token'
  | 'expired-reply-token'
  | 'not-the-token-user'
  | 'from-givefirst';

/** A rejection, with its reason and, when the sender is a user, whose it is. */
export const rejected = (reason: RejectionReason, detail: string, userId?: string): Outcome =>
  userId ? { status: 'rejected', reason, detail, userId } : { status: 'rejected', reason, detail };
