import {
  asParsedEmail,
  buildIncomingMessage,
  buildLoggedMessage,
  isUsersAddress,
  sentTime,
} from '#domain/build-logged-message.ts';
import { classifyMessage } from '#domain/classify-message.ts';
import {
  AnswersUnavailableError,
  IngestFailedError,
  RawMailGoneError,
  UnreadableMailError,
} from '#domain/errors.ts';
import { findForwardedMessage } from '#domain/forwarded-message.ts';
import { normaliseMessageId } from '#domain/ids.ts';
import { primaryInboundAddress } from '#domain/inbound-address.ts';
import { normaliseAddress } from '#domain/mailbox.ts';
import {
  type ForwardedMessage,
  type InboundEnvelope,
  type LoggedMessage,
  type Mailbox,
  type Outcome,
  type ParsedEmail,
  rejected,
  type Tags,
  type User,
} from '#domain/model.ts';
import { isDeliveryFailureText, readOutOfOffice } from '#domain/out-of-office.ts';
import type {
  JudgeAgain,
  Logger,
  ParseMail,
  RawMailStore,
  ReceiptRecord,
  ReceiptSummary,
  Store,
} from '#domain/ports.ts';
import { topmostAttribution } from '#domain/reply-attribution.ts';
import { rawMailRetentionDays } from '#domain/retention.ts';
import { checksCouldNotRun, judgeSender, refuseSender } from '#domain/sender-auth.ts';
import type { HandleReply } from './handle-reply.ts';
import type { Welcome } from './join.ts';
import type { NoteUnknownTags } from './note-unknown-tags.ts';

export interface IngestEmailDeps {
  store: Store;
  rawMail: RawMailStore;
  parseMail: ParseMail;
  mailDomain: string;
  logger: Logger;
  /** Reply commands (mail to `reply+TOKEN@D`); without it they fail, kept for redrive. */
  handleReply?: HandleReply;
  /** Tells a user, once, about a tag of their log address that was not understood. */
  noteUnknownTags?: NoteUnknownTags;
  /** Mail to `start@D` (join.ts; it refuses all when no domain is allowed); without it, kept for redrive. */
  welcome?: Welcome;
  /**
   * The sender checks run again on the raw mail of a receipt that failed because they could not
   * run (locally and from the operator's command line: mailauth). Without it (on AWS, where SES's
   * verdicts are all there are) such a receipt fails again until someone can judge it.
   */
  judgeAgain?: JudgeAgain;
}

/** A Cc'd reply's owner is looked up by at most this many of the Message-IDs it answers (the latest). */
const maxLinksLookedUp = 10;

export type IngestEmail = (envelope: InboundEnvelope) => Promise<Outcome>;

/** What one run of a receipt learnt that outlives its outcome: whether the reply was parked. */
interface Run {
  parked: boolean;
}

/**
 * Ingest one received message.
 *
 * Primary course:
 * 1. Record the receipt (a re-delivered receipt returns its first outcome).
 * 2. Read which of our addresses it reached, from the envelope (a Bcc'd log address is only there).
 * 3. Parse the raw MIME, streaming, while step 1 is written (so even a rejection names its sender).
 * 4. A reply address goes to the reply commands (handle-reply.ts), `start@` to joining (join.ts).
 *    For a log address: refuse automated mail; find the user by the From address, judge the
 *    sender's authentication, and log their message (or, sent to the log address alone, the
 *    message it forwards); a sender who is no user may be a contact whose reply Cc'd the log
 *    address: its owner comes from the Message-IDs it answers.
 * 5. Record the outcome: logged, duplicate, or rejected with a reason. Logging a message decides
 *    again any reply that had arrived before it.
 * 6. Logged (or a duplicate), the raw mail is deleted: nothing reads it again. Rejected, failed or
 *    parked mail keeps it for the days raw mail is kept, for redrive and for the message a parked
 *    reply waits for.
 * A failure outside the message (storage down) marks the receipt failed, for redrive, and throws;
 * a process that dies leaves the receipt in progress, which redrive lists once it has stalled.
 */
export function makeIngestEmail(deps: IngestEmailDeps): IngestEmail {
  const { store, rawMail, parseMail, mailDomain, logger } = deps;

  type Read = { email: ParsedEmail } | { error: unknown };
  const read = (rawKey: string): Promise<Read> =>
    rawMail
      .open(rawKey)
      .then(parseMail)
      .then(
        (email) => ({ email }),
        (error: unknown) => ({ error }),
      );

  async function decide(
    envelope: InboundEnvelope,
    reading: Promise<Read>,
    summary: ReceiptSummary,
    run: Run,
  ): Promise<Outcome> {
    const target = primaryInboundAddress(envelope.recipients, mailDomain);
    if (!target || target.kind === 'elsewhere') {
      return rejected('not-for-this-domain', `no recipient at ${mailDomain}`);
    }
    const parsed = await reading;
    if ('error' in parsed) {
      if (parsed.error instanceof UnreadableMailError)
        return rejected('unreadable', parsed.error.message);
      throw parsed.error;
    }
    const { email } = parsed;
    summary.from = email.from?.address;
    summary.subject = email.subject.slice(0, 120);

    if (target.kind === 'unknown') {
      return rejected('unknown-address', `${target.address} is not an address givefirst answers`);
    }
    if (target.kind === 'start') {
      if (!deps.welcome) throw new AnswersUnavailableError('mail to start@');
      return deps.welcome({ email, envelope });
    }
    if (target.kind === 'reply') {
      if (!deps.handleReply) throw new AnswersUnavailableError('a reply command');
      return deps.handleReply({ email, envelope, token: target.token });
    }

    const { classification, because } = classifyMessage(email);
    summary.classification = classification;
    if (classification !== 'personal') return rejected(classification, because);
    if (!email.from) return rejected('no-from-address', 'the From header has no usable address');
    if (email.fromAmbiguity) return rejected('ambiguous-from', email.fromAmbiguity);

    const user = await store.findUserByAddress(email.from.address);
    if (!user) return logReplyInCc(email, email.from, envelope, run);

    const judgement = judgeSender({
      verdicts: envelope.verdicts,
      fromAddress: email.from.address,
      authenticationResults: email.authenticationResults,
    });
    if (!judgement.ok) return refuseSender(judgement, user.userId);

    const built = buildLoggedMessage({
      email,
      user,
      tags: target.tags,
      envelope,
      mailDomain,
      attribution: topmostAttribution(email.text, user.timeZone),
    });
    let outcome: Outcome;
    if (built.kind === 'message') {
      outcome = await save(built.message);
    } else {
      const forwarded = findForwardedMessage(email, user.timeZone);
      if (!forwarded) return rejected('nothing-to-track', built.detail, user.userId);
      outcome = await logForward(forwarded, user, target.tags, envelope);
    }
    // A tag givefirst does not know is kept, and the user is told once (a forward carries tags too).
    if (outcome.status === 'logged' && target.tags.unknown.length > 0) {
      await deps.noteUnknownTags?.(user, target.tags.unknown);
    }
    return outcome;
  }

  /**
   * A message the user sent to the log address alone, forwarding another: their own sent mail
   * (they forgot to Bcc) is logged as outgoing with its original date; anyone else's as a message
   * from them, classified by its headers when attached, by its text when inline (an out-of-office
   * names when they are back; a delivery report is never a reply).
   */
  async function logForward(
    forwarded: ForwardedMessage,
    user: User,
    tags: Tags,
    envelope: InboundEnvelope,
  ): Promise<Outcome> {
    const email = asParsedEmail(forwarded);
    const via = forwarded.how === 'attached' ? 'forward-attached' : 'forward-inline';
    const sender = forwarded.from;
    if (!sender) {
      return rejected(
        'nothing-to-track',
        'the forwarded message names no sender address',
        user.userId,
      );
    }
    if (isUsersAddress(sender.address, user)) {
      const built = buildLoggedMessage({
        email,
        user,
        tags,
        envelope,
        mailDomain,
        via,
        attribution: topmostAttribution(email.text, user.timeZone),
      });
      return built.kind === 'message'
        ? save(built.message)
        : rejected('nothing-to-track', built.detail, user.userId);
    }
    const { sentAt } = sentTime(email.date, envelope.receivedAt);
    let kind =
      forwarded.how === 'attached' ? classifyMessage(email).classification : ('personal' as const);
    const outOfOffice =
      kind === 'bounce'
        ? null
        : readOutOfOffice({
            subject: email.subject,
            text: email.text,
            sentAt,
            timeZone: user.timeZone,
          });
    if (isDeliveryFailureText(email.subject, email.text)) kind = 'bounce';
    else if (outOfOffice) kind = 'auto-reply';
    return save(
      buildIncomingMessage({ email, sender, user, envelope, via, kind, outOfOffice, tags }),
    );
  }

  /**
   * Saves the message (its item is the commit point) and, after it, decides again the replies that
   * were parked waiting for it; the receipt's outcome comes last, so a receipt that has one left
   * nothing undone, and one that has none is redriven or completed by the next copy of the message.
   */
  async function save(message: LoggedMessage): Promise<Outcome> {
    const saved = await store.saveLoggedMessage(message);
    if (saved.status === 'duplicate') {
      return { status: 'duplicate', userId: message.userId, messageKey: message.messageKey };
    }
    if (saved.repliesParked) await releaseParkedReplies(message.messageId);
    return {
      status: 'logged',
      userId: message.userId,
      messageKey: message.messageKey,
      contacts: message.contacts.length,
      awaited: message.contacts.filter((c) => c.awaited).length,
    };
  }

  /**
   * A reply from a contact that reached the log address because the user had it in Cc. Its owner
   * comes from the Message-IDs it answers (never from the address it was sent to), and it must pass
   * sender authentication itself. It closes threads and counts as a touch; no tag applies to it.
   *
   * A Message-ID is a claim anyone can copy, so owning one of them is not enough: the owner is a
   * user who logged a message it answers *with the replying contact among its recipients*, and to
   * whom the reply is itself written (To or Cc). A second user who logged a message under the same
   * Message-ID never sees a reply that was not written to them.
   */
  async function logReplyInCc(
    email: ParsedEmail,
    sender: Mailbox,
    envelope: InboundEnvelope,
    run: Run,
  ): Promise<Outcome> {
    const answers = [...email.inReplyTo, ...email.references]
      .map(normaliseMessageId)
      .filter(Boolean)
      .slice(-maxLinksLookedUp);
    const addressed = [...email.to, ...email.cc].map((m) => normaliseAddress(m.address));
    const ownersOf = async (): Promise<User[]> => {
      const owners: User[] = [];
      for (const userId of await store.ownersOfMessages(answers)) {
        const user = await store.getUser(userId);
        if (!user || !addressed.some((a) => isUsersAddress(a, user))) continue;
        const wroteTo = await store.recipientsOfSentMessages(userId, answers);
        if (wroteTo.includes(sender.address)) owners.push(user);
      }
      return owners;
    };
    if (answers.length === 0) {
      return rejected('unknown-sender', `${sender.address} is not a registered user`);
    }
    // Judged before anything is written for it: mail that fails authentication parks nothing.
    const judgement = judgeSender({
      verdicts: envelope.verdicts,
      fromAddress: sender.address,
      authenticationResults: email.authenticationResults,
    });
    if (!judgement.ok) return refuseSender(judgement);
    let owners = await ownersOf();
    if (owners.length === 0) {
      run.parked = true;
      await store.parkReply(answers, envelope);
      // The message it answers may have been logged meanwhile, having looked for parked replies
      // before this one was parked: look once more now that it is.
      owners = await ownersOf();
      if (owners.length > 0) {
        await Promise.all(answers.map((id) => store.unparkReply(id, envelope.receiptId)));
      }
    }
    if (owners.length === 0) {
      return rejected(
        'unknown-sender',
        `${sender.address} is not a registered user and the message answers nothing logged yet that was written to them by a user it is addressed to (kept ${rawMailRetentionDays} days in case it arrives)`,
      );
    }
    const outcomes: Outcome[] = [];
    for (const user of owners) {
      outcomes.push(
        await save(
          buildIncomingMessage({
            email,
            sender,
            user,
            envelope,
            via: 'cc-reply',
            kind: 'personal',
            outOfOffice: null,
          }),
        ),
      );
    }
    return (
      outcomes[0] ??
      rejected('unknown-sender', `no registered user owns the thread ${sender.address} answered`)
    );
  }

  /**
   * Decides and records one receipt's outcome; `receipt` is the envelope as first recorded. `run`
   * says whether the receipt was parked, in this run or before it (a reply decided again).
   */
  async function process(
    receipt: InboundEnvelope,
    reading: Promise<Read>,
    run: Run,
  ): Promise<Outcome> {
    const summary: ReceiptSummary = {};
    let outcome: Outcome;
    try {
      outcome = await decide(receipt, reading, summary, run);
      await store.finishReceipt(receipt, outcome, summary);
      logger.info('inbound mail', {
        receiptId: receipt.receiptId,
        status: outcome.status,
        ...(outcome.status === 'rejected' ? { reason: outcome.reason } : {}),
        ...(outcome.status === 'logged'
          ? { contacts: outcome.contacts, awaited: outcome.awaited }
          : {}),
      });
    } catch (error) {
      // Another run of this receipt (the same delivery twice at once) finished it and deleted its
      // raw mail while this one read: its outcome is the answer.
      const finished =
        error instanceof RawMailGoneError
          ? await store.getReceipt(receipt.receiptId).catch(() => null)
          : null;
      if (finished?.outcome) return finished.outcome;
      const failure = error instanceof Error ? error.message : String(error);
      logger.error('ingest failed', { receiptId: receipt.receiptId, failure });
      await store.failReceipt(receipt, failure).catch(() => undefined);
      throw new IngestFailedError(receipt.receiptId, { cause: error });
    }
    await dropRawMail(receipt, outcome, run);
    return outcome;
  }

  /**
   * A logged (or duplicate) receipt's raw mail is read by nothing again: its outcome answers every
   * later copy of the delivery and every redrive, and what was logged is in the message items. A
   * reply that was parked keeps it (it may be decided again under another Message-ID it answers,
   * for another user) and expires with the bucket's lifecycle, as does raw mail whose delete failed.
   */
  async function dropRawMail(receipt: InboundEnvelope, outcome: Outcome, run: Run): Promise<void> {
    if (run.parked || (outcome.status !== 'logged' && outcome.status !== 'duplicate')) return;
    await rawMail.remove(receipt.rawKey).catch((error: unknown) => {
      logger.warn('raw mail not deleted', {
        receiptId: receipt.receiptId,
        failure: error instanceof Error ? error.message : String(error),
      });
    });
  }

  /**
   * Replies that arrived before the message they answer was logged (mail is not delivered in
   * order) were parked under the Message-IDs they answer; once one of those is logged, each is
   * decided again.
   */
  async function releaseParkedReplies(messageId: string): Promise<void> {
    for (const receiptId of await store.parkedReplies(messageId)) {
      const parked = await store.getReceipt(receiptId);
      const outcome = parked
        ? await process(parked.envelope, read(parked.envelope.rawKey), { parked: true })
        : null;
      // Logged under a copy of the Message-ID by a user its sender was never written to, the reply
      // still has no owner and parked itself again: it waits on for the message it really answers.
      if (outcome?.status === 'rejected' && outcome.reason === 'unknown-sender') continue;
      await store.unparkReply(messageId, receiptId);
    }
  }

  /**
   * The envelope a receipt is judged on. One that failed because its sender checks could not run
   * (SES's PROCESSING_FAILED, a DNS timeout), run again (a redrive), has them run again on its raw
   * mail where `judgeAgain` can, the spam and virus verdicts it came with kept: its stored verdicts
   * never change, so it would fail on every redrive, and its raw mail expire unjudged.
   */
  async function judgedEnvelope(receipt: ReceiptRecord): Promise<InboundEnvelope> {
    const { envelope } = receipt;
    if (!deps.judgeAgain || receipt.failure === null || !checksCouldNotRun(envelope.verdicts))
      return envelope;
    // Raw mail that is gone is said so by the parse.
    const raw = await deps.rawMail.open(envelope.rawKey).catch(() => null);
    if (!raw) return envelope;
    const { spam, virus } = envelope.verdicts;
    // Checks that cannot run now either leave it as it was: failed, for a later redrive.
    const verdicts = await deps.judgeAgain(raw).catch(() => envelope.verdicts);
    return {
      ...envelope,
      verdicts: { ...verdicts, ...(spam ? { spam } : {}), ...(virus ? { virus } : {}) },
    };
  }

  return async function ingestEmail(envelope) {
    // The raw mail is read and parsed while the receipt is recorded (S3 and DynamoDB in parallel);
    // a receipt that already has its outcome discards the parse.
    const reading = read(envelope.rawKey);
    const receipt = await store.beginReceipt(envelope);
    if (receipt.outcome) return receipt.outcome;
    return process(await judgedEnvelope(receipt), reading, { parked: false });
  };
}
