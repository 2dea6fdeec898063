import { classifyMessage } from '#domain/classify-message.ts';
import { stripControls, truncate } from '#domain/digest.ts';
import { nextDigest, scheduleOf } from '#domain/digest-schedule.ts';
import { normaliseMessageId, userIdFor } from '#domain/ids.ts';
import {
  accountExistsText,
  defaultDigestAt,
  expiredInvitationText,
  howToJoinText,
  joinedText,
  notAllowedText,
  readJoinReply,
  welcomeText,
  welcomeTokenDays,
} from '#domain/join-mail.ts';
import { domainOf, normaliseAddress } from '#domain/mailbox.ts';
import {
  type InboundEnvelope,
  type Outcome,
  type ParsedEmail,
  rejected,
  type User,
} from '#domain/model.ts';
import type {
  Clock,
  JoinMailKind,
  Logger,
  Mailer,
  OnboardingStore,
  UserStore,
} from '#domain/ports.ts';
import { answerHtml } from '#domain/reply-answer.ts';
import type { ReplyTokens, TokenClaims } from '#domain/reply-token.ts';
import { localDate } from '#domain/reply-window.ts';
import { judgeSender, refuseSender } from '#domain/sender-auth.ts';
import { dateOffsetMinutes, guessTimeZone } from '#domain/time-zone-guess.ts';
import type { HandleReply, ReplyMail } from './handle-reply.ts';
import type { makeRegisterUser } from './register-user.ts';

/** How long the Reply-To of the confirmation works (as long as other answers'). */
const confirmationTokenDays = 45;
const dayMs = 86_400_000;

export interface StartMail {
  email: ParsedEmail;
  envelope: InboundEnvelope;
}

/** Mail to `start@D`. */
export type Welcome = (mail: StartMail) => Promise<Outcome>;

export interface JoinDeps {
  onboarding: OnboardingStore;
  users: Pick<UserStore, 'findUserByAddress'>;
  registerUser: ReturnType<typeof makeRegisterUser>;
  tokens: ReplyTokens;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  mailDomain: string;
  /** Where the mail comes from (on AWS the identity SES may send as); `digest@` the inbound domain by default. */
  fromAddress?: string;
}

export interface Join {
  welcome: Welcome;
  /**
   * Reply mail, routed by its token: an onboarding token (a `yes` to a welcome) is answered here,
   * an expired one from someone who is no user yet gets a hint to write to `start@D` again, and
   * everything else goes on to the reply commands.
   */
  replies(commands?: HandleReply): HandleReply;
}

type Screened = { ok: true; address: string } | { ok: false; outcome: Outcome };

/**
 * Joining by email: a person from a domain the operator allowed writes to `start@D`, is welcomed
 * once, and replies `yes`.
 *
 * Primary course (`start@D`):
 * 1. No domain allowed at all: the instance takes no sign-ups (recorded, nobody told).
 * 2. Never answer a robot; refuse a From that is missing, ambiguous or givefirst's own.
 * 3. The sender must pass sender authentication as for logging (a check that could not run is a
 *    retry); only then is anyone written to, so a forged From is never mailed.
 * 4. A domain not allowed, or someone who already has an account: a short note, at most once a day.
 * 5. Guess their time zone from the offset in their Date header, claim the day's one welcome for
 *    the address (a conditional put: a hundred messages make one welcome) and send it, with an
 *    onboarding token for the user id their address will have as Reply-To.
 *
 * Primary course (a reply to the welcome):
 * 1. As above, and the sender must be the address the token was issued for.
 * 2. Its new text says `yes` (with `tz ZONE`, `at HH:MM` if they like): register them with the zone
 *    the welcome named (or the one they gave), and answer once per welcome with what happens next.
 *    Anything else: a short note on how to start, at most once a day; nothing changes.
 */
export function makeJoin(deps: JoinDeps): Join {
  const { onboarding, users, tokens, clock, logger, mailDomain } = deps;

  /** The checks every mail about joining passes first; the sender's address, lower-cased. */
  function screen(email: ParsedEmail): Screened {
    const { classification, because } = classifyMessage(email);
    if (classification !== 'personal')
      return { ok: false, outcome: rejected(classification, because) };
    if (!email.from) {
      return {
        ok: false,
        outcome: rejected('no-from-address', 'the From header has no usable address'),
      };
    }
    if (email.fromAmbiguity) {
      return { ok: false, outcome: rejected('ambiguous-from', email.fromAmbiguity) };
    }
    const address = normaliseAddress(email.from.address);
    if (domainOf(address) === mailDomain.toLowerCase()) {
      return {
        ok: false,
        outcome: rejected('from-givefirst', 'mail from givefirst itself is never answered'),
      };
    }
    return { ok: true, address };
  }

  const judge = (email: ParsedEmail, envelope: InboundEnvelope, address: string) =>
    judgeSender({
      verdicts: envelope.verdicts,
      fromAddress: address,
      authenticationResults: email.authenticationResults,
    });

  const today = () => clock().toISOString().slice(0, 10);

  /** Sends one mail about joining; a lost one is better than a receipt failed for redrive. */
  async function send(
    to: string,
    answering: ParsedEmail,
    mail: { subject: string; text: string; replyTo: string },
  ): Promise<boolean> {
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    if (answering.messageId) {
      headers['In-Reply-To'] = `<${normaliseMessageId(answering.messageId)}>`;
      headers.References = `<${normaliseMessageId(answering.messageId)}>`;
    }
    try {
      await deps.mailer.send({
        from: `givefirst <${deps.fromAddress ?? `digest@${mailDomain}`}>`,
        to,
        replyTo: mail.replyTo,
        subject: mail.subject,
        text: `${mail.text}\n`,
        html: answerHtml(`${mail.text}\n`),
        headers,
      });
      return true;
    } catch (error) {
      logger.warn('join mail not sent', {
        failure: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  const subjectOf = (email: ParsedEmail, fallback: string) => {
    const subject = truncate(stripControls(email.subject.replace(/^\s*re:\s*/i, '')), 100);
    return subject ? `Re: ${subject}` : fallback;
  };

  /**
   * A short note about joining, at most once a day per address and kind. Its Reply-To is `start@D`
   * unless it answers a welcome, whose address it keeps, so that a `yes` to the note counts.
   */
  async function note(
    address: string,
    kind: JoinMailKind,
    mail: { email: ParsedEmail; envelope: InboundEnvelope },
    text: string,
    replyTo = `start@${mailDomain}`,
  ): Promise<void> {
    const { email, envelope } = mail;
    const record = { receiptId: envelope.receiptId };
    if (!(await onboarding.claimJoinMail(address, kind, today(), record))) return;
    await send(address, email, { subject: subjectOf(email, 'givefirst'), text, replyTo });
  }

  const welcome: Welcome = async ({ email, envelope }) => {
    // No domain allowed: exactly what start@ did before joining by email existed.
    if (!(await onboarding.anyAllowed())) {
      return rejected('onboarding-closed', 'this instance does not take sign-ups by email');
    }
    const screened = screen(email);
    if (!screened.ok) return screened.outcome;
    const { address } = screened;
    const domain = domainOf(address);
    const allowed = await onboarding.isAllowed(domain);
    const judgement = judge(email, envelope, address);
    if (!judgement.ok) return refuseSender(judgement);
    if (!allowed) {
      await note(address, 'not-allowed', { email, envelope }, notAllowedText(domain));
      return rejected('domain-not-allowed', `${domain} is not a domain whose people may join`);
    }
    const user = await users.findUserByAddress(address);
    if (user) {
      await note(address, 'account-exists', { email, envelope }, accountExistsText(mailDomain));
      return rejected('already-a-user', `${address} already has an account`, user.userId);
    }

    const now = clock();
    const day = today();
    const guess = guessTimeZone(dateOffsetMinutes(email.headers.date), email.date ?? now);
    const record = { timeZone: guess.zone, receiptId: envelope.receiptId };
    if (!(await onboarding.claimJoinMail(address, 'welcome', day, record))) {
      return rejected(
        'welcome-already-sent',
        `${address} was sent its welcome for ${day} already`,
        // The id they will have: deleting their data finds this refused mail by it.
        userIdFor(address),
      );
    }
    const token = tokens.issue({
      kind: 'onboarding',
      userId: userIdFor(address),
      ref: day,
      expiresAt: new Date(now.getTime() + welcomeTokenDays * dayMs),
    });
    const sent = await send(address, email, {
      subject: 'Welcome to givefirst: reply "yes" to start',
      text: welcomeText({ mailDomain, guess }),
      replyTo: `reply+${token}@${mailDomain}`,
    });
    logger.info('welcome', { timeZone: guess.zone, sent });
    return { status: 'welcomed', address, timeZone: guess.zone };
  };

  async function answerWelcome(mail: ReplyMail, claims: TokenClaims): Promise<Outcome> {
    const { email, envelope } = mail;
    const screened = screen(email);
    if (!screened.ok) return screened.outcome;
    const { address } = screened;
    if (userIdFor(address) !== claims.userId) {
      return rejected(
        'not-the-token-user',
        `${address} is not the person this invitation was sent to`,
      );
    }
    const judgement = judge(email, envelope, address);
    if (!judgement.ok) return refuseSender(judgement);
    if (!(await onboarding.isAllowed(domainOf(address)))) {
      return rejected('domain-not-allowed', `${domainOf(address)} is no longer allowed to join`);
    }

    const read = readJoinReply(email.text);
    let user = await users.findUserByAddress(address);
    if (!read.yes || (!user && read.problems.length > 0)) {
      if (user) {
        return rejected('already-a-user', `${address} already has an account`, user.userId);
      }
      await note(
        address,
        'how-to-join',
        { email, envelope },
        howToJoinText(read.problems),
        `reply+${mail.token}@${mailDomain}`,
      );
      return rejected(
        'join-not-confirmed',
        read.yes ? read.problems.join(' ') : 'the reply to the welcome did not say yes',
        userIdFor(address),
      );
    }
    if (!user) {
      const welcomed = await onboarding.welcomeOf(address, claims.ref);
      const guessed =
        welcomed?.timeZone ??
        guessTimeZone(dateOffsetMinutes(email.headers.date), email.date ?? clock()).zone;
      const registered = await deps.registerUser({
        email: address,
        timeZone: read.zone ?? guessed,
        digestAt: read.digestAt ?? defaultDigestAt,
      });
      if (registered.ok) user = registered.user;
      else {
        // Registered by another copy of this reply meanwhile, or refused outright.
        user = await users.findUserByAddress(address);
        if (!user) return rejected('join-not-confirmed', registered.problems.join('; '));
      }
    }
    // One answer per welcome: a second `yes` (or a copy of the first) registers nobody twice.
    if (
      !(await onboarding.claimJoinMail(address, 'joined', claims.ref, {
        receiptId: envelope.receiptId,
      }))
    ) {
      return rejected('already-a-user', `${address} has already joined`, user.userId);
    }
    const confirmed = await confirm(user, email);
    logger.info('joined', { userId: user.userId, timeZone: user.timeZone, confirmed });
    return { status: 'joined', userId: user.userId, confirmed };
  }

  async function confirm(user: User, email: ParsedEmail): Promise<boolean> {
    const now = clock();
    const next = nextDigest(scheduleOf(user), now);
    const token = tokens.issue({
      kind: 'confirmation',
      userId: user.userId,
      ref: localDate(now, user.timeZone),
      expiresAt: new Date(now.getTime() + confirmationTokenDays * dayMs),
    });
    return send(user.email, email, {
      subject: subjectOf(email, 'Welcome to givefirst'),
      text: joinedText({
        mailDomain,
        timeZone: user.timeZone,
        digestAt: user.digestAt,
        firstDigest: next.localDate,
      }),
      replyTo: `reply+${token}@${mailDomain}`,
    });
  }

  /** An invitation too old to read, from someone who is no user: write to start@ again. */
  async function expiredInvitation(mail: ReplyMail, address: string): Promise<Outcome> {
    const judgement = judge(mail.email, mail.envelope, address);
    if (!judgement.ok) return refuseSender(judgement);
    if (await onboarding.isAllowed(domainOf(address))) {
      await note(address, 'how-to-join', mail, expiredInvitationText(mailDomain));
    }
    return rejected(
      'expired-reply-token',
      'the reply address has expired; told to write to start@',
    );
  }

  return {
    welcome,
    replies(commands) {
      return async (mail) => {
        const reading = tokens.read(mail.token, clock());
        if (reading.ok && reading.claims.kind === 'onboarding') {
          return answerWelcome(mail, reading.claims);
        }
        if (!reading.ok && reading.why === 'expired') {
          const screened = screen(mail.email);
          if (screened.ok && !(await users.findUserByAddress(screened.address))) {
            return expiredInvitation(mail, screened.address);
          }
        }
        if (!commands) {
          return rejected('not-available-yet', 'reply commands are not handled by this deployment');
        }
        return commands(mail);
      };
    },
  };
}
