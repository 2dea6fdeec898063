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
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;
  /** The Date header, or null when it is missing or unreadable. */
  date: Date | null;
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

export type ContactRole = 'to' | 'cc' | 'bcc';

export interface MessageContact extends Mailbox {
  role: ContactRole;
  /** Whether the user now waits for this person's reply. */
  awaited: boolean;
}

/** A message the user sent, as givefirst keeps it. */
export interface LoggedMessage {
  userId: string;
  /** Stable key of the message within the user's records (from its Message-ID). */
  messageKey: string;
  messageId: string;
  messageIdSource: 'header' | 'derived';
  threadKey: string;
  direction: 'out';
  sentAt: string;
  dateSource: 'header' | 'receipt';
  subject: string;
  snippet: string;
  contacts: MessageContact[];
  tags: Tags;
  asksSomething: boolean;
  broadcast: boolean;
  /** The local date (yyyy-mm-dd, in timeZone) from which a silent awaited contact is due. */
  dueOn: string | null;
  timeZone: string;
  references: string[];
  receiptId: string;
}

export type Outcome =
  | { status: 'logged'; userId: string; messageKey: string; contacts: number; awaited: number }
  | { status: 'duplicate'; userId: string; messageKey: string }
  | { status: 'rejected'; reason: RejectionReason; detail: string; userId?: string };

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
  | 'unreadable'
  | 'not-available-yet'
  | 'onboarding-closed';
