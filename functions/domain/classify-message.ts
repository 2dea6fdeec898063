import type { Classification, ParsedEmail } from './model.ts';

/** The mailboxes that send delivery reports (RFC 5321 postmaster, and the MTA's mailer-daemon). */
const reportingMailbox = /^(?:mailer[-_]daemon|post_?master)$/i;

/**
 * Subjects MTAs give a non-delivery report ("Undelivered Mail Returned to Sender", "failure
 * notice", "Delivery Status Notification (Failure)", "Undeliverable: …"). Anchored at the start, so
 * a person's "Re: Undeliverable …" or "Fwd: …" never matches.
 */
const reportSubject =
  /^(?:\*+\s*)?(?:undeliver(?:able|ed)\b|returned mail\b|failure notice\b|delivery (?:status|failure|failed|notification|report)\b|(?:mail|message|email) delivery (?:failed|failure|has failed)\b|mail could not be delivered\b|there was an error sending your mail\b|sorry, your message could not be delivered\b|message you sent blocked\b|\[postmaster\])/i;

/** A null reverse path (`<>`, or empty), or sendmail's spelling of it (`<MAILER-DAEMON>`). */
const nullSender = (returnPath: string | undefined) =>
  returnPath !== undefined && /^\s*(?:<\s*>)?\s*$|^\s*<?mailer-daemon\b/i.test(returnPath);

/** Why a message is a delivery report (a bounce), or null when nothing says so. */
function bounceEvidence(
  email: Pick<ParsedEmail, 'headers' | 'contentType'> &
    Partial<Pick<ParsedEmail, 'from' | 'subject'>>,
): string | null {
  const h = email.headers;
  if (email.contentType.toLowerCase() === 'multipart/report')
    return 'content-type multipart/report';
  if (h['x-failed-recipients'] !== undefined) return 'x-failed-recipients';
  const localPart = email.from?.address.slice(0, email.from.address.lastIndexOf('@')) ?? '';
  if (reportingMailbox.test(localPart)) return `sent by ${localPart.toLowerCase()}`;
  const subject = email.subject?.trim() ?? '';
  const automated =
    nullSender(h['return-path']) || h['auto-submitted'] !== undefined || email.from === null;
  if (automated && reportSubject.test(subject)) return 'a delivery-failure subject from a robot';
  return null;
}

/**
 * Whether a message is a person writing, or an auto-reply, a bounce or mailing-list mail,
 * judged from its headers (RFC 3834, RFC 3464, RFC 2919). None of the latter is ever a reply.
 *
 * A bounce is a multipart/report, or a plain-text report that shows it: X-Failed-Recipients, a From
 * of mailer-daemon or postmaster, or a delivery-failure subject on mail with a null sender, an
 * Auto-Submitted header or no From address. Bounces are judged first: a report is auto-submitted
 * too. List-Id is read before Precedence, so list mail marked `Precedence: bulk` is list mail.
 * `from` and `subject` are optional so header-only callers still work; without them, only the
 * headers decide.
 */
export function classifyMessage(
  email: Pick<ParsedEmail, 'headers' | 'contentType'> &
    Partial<Pick<ParsedEmail, 'from' | 'subject'>>,
): {
  classification: Classification;
  because: string;
} {
  const h = email.headers;
  const bounce = bounceEvidence(email);
  if (bounce) return { classification: 'bounce', because: bounce };
  const autoSubmitted = h['auto-submitted']?.trim().toLowerCase();
  // RFC 3834: the keyword `no`, possibly followed by parameters or a comment, means a person wrote it.
  if (autoSubmitted && autoSubmitted.split(/[\s;(]/)[0] !== 'no') {
    return { classification: 'auto-reply', because: `auto-submitted: ${autoSubmitted}` };
  }
  if (h['x-autoreply'] !== undefined) {
    return { classification: 'auto-reply', because: 'x-autoreply' };
  }
  if (h['x-autorespond'] !== undefined) {
    return { classification: 'auto-reply', because: 'x-autorespond' };
  }
  if (h['list-id'] !== undefined) return { classification: 'mailing-list', because: 'list-id' };
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return precedence === 'list'
      ? { classification: 'mailing-list', because: 'precedence: list' }
      : { classification: 'auto-reply', because: `precedence: ${precedence}` };
  }
  if (h['return-path'] !== undefined && /^\s*(?:<\s*>)?\s*$/.test(h['return-path'])) {
    return { classification: 'auto-reply', because: 'empty return-path' };
  }
  return { classification: 'personal', because: 'no automation headers' };
}
