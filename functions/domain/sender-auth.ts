import { getDomain } from 'tldts';
import {
  type AuthResult,
  dkimPassDomains,
  dmarcHeaderFrom,
  receivingServerResults,
} from './authentication-results.ts';
import { SenderCheckUnavailableError } from './errors.ts';
import { domainOf, normaliseAddress } from './mailbox.ts';
import { type Outcome, rejected, type Verdicts } from './model.ts';

export type SenderJudgement =
  | { ok: true; because: string }
  | {
      ok: false;
      reason: 'sender-not-authenticated' | 'spam' | 'virus' | 'ambiguous-from';
      detail: string;
    }
  /** The check could not be completed (a DNS timeout, a verdict SES could not compute): try again later. */
  | { ok: false; reason: 'sender-check-unavailable'; detail: string };

/** SES writes its own Authentication-Results with this authserv-id, above any that came with the mail. */
export const sesAuthservId = 'amazonses.com';

const upper = (v: string | undefined) => (v ?? '').toUpperCase();

/**
 * The organisational domain (registrable domain under the public suffix list, private domains
 * included, as mailauth does), for relaxed DMARC alignment: `alice.github.io` and
 * `evil.github.io` are two organisations, not one.
 */
function organisationalDomain(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: true }) ?? domain;
}

/** Relaxed alignment (RFC 7489 3.1.1): the same organisational domain. */
export function aligned(signingDomain: string, fromDomain: string): boolean {
  if (!signingDomain || !fromDomain) return false;
  return (
    organisationalDomain(signingDomain.toLowerCase()) ===
    organisationalDomain(fromDomain.toLowerCase())
  );
}

/** Verdicts that say a check could not run (a DNS timeout or SERVFAIL), not that it failed. */
const temporary = new Set(['TEMPERROR', 'PROCESSING_FAILED']);

/** Whether one of the sender checks (DMARC, DKIM, SPF) could not run, rather than passed or failed. */
export const checksCouldNotRun = (verdicts: Verdicts): boolean =>
  [verdicts.dmarc, verdicts.dkim, verdicts.spf].some((v) => temporary.has(upper(v)));

/** The domain part of an address in the one spelling givefirst compares (lower-case, punycode). */
const asciiDomainOf = (address: string) => domainOf(normaliseAddress(address));

/**
 * Whether the From address of a received message can be believed.
 *
 * Accept only a DMARC pass for the very From domain givefirst reads, or a DKIM pass for a domain
 * aligned with it. On AWS the DMARC domain (`header.from`) and the DKIM domains come from SES's own
 * Authentication-Results only (the topmost header of all, with authserv-id amazonses.com); without
 * it nothing in the message is believed. Locally mailauth reports them, with the From address it
 * read, which must be givefirst's. The operator vouching (`ingest --trust-sender`) or local mode
 * started with authentication relaxed skip the check. A spam or virus FAIL is refused whatever the
 * rest says; a check that could not run is a retry, never a rejection.
 */
export function judgeSender(input: {
  verdicts: Verdicts;
  fromAddress: string;
  authenticationResults?: string[];
}): SenderJudgement {
  const { verdicts } = input;
  if (upper(verdicts.virus) === 'FAIL') {
    return { ok: false, reason: 'virus', detail: 'the virus scan failed' };
  }
  if (upper(verdicts.spam) === 'FAIL') {
    return { ok: false, reason: 'spam', detail: 'the spam check failed' };
  }
  switch (verdicts.source) {
    case 'operator':
      return { ok: true, because: 'the operator vouched for the sender' };
    case 'relaxed':
      return { ok: true, because: 'local mode with sender authentication relaxed' };
    case 'none':
      return {
        ok: false,
        reason: 'sender-not-authenticated',
        detail: 'no authentication verdicts were available for this message',
      };
    default: {
      const fromAddress = normaliseAddress(input.fromAddress);
      const fromDomain = asciiDomainOf(fromAddress);
      if (verdicts.fromAddresses) {
        const read = verdicts.fromAddresses.map(normaliseAddress);
        if (read.length !== 1 || read[0] !== fromAddress) {
          return {
            ok: false,
            reason: 'ambiguous-from',
            detail: `the authentication checks read From as ${read.join(', ') || 'nothing'}, givefirst as ${fromAddress}`,
          };
        }
      }
      const sesResults: AuthResult[] =
        verdicts.source === 'ses'
          ? receivingServerResults(input.authenticationResults ?? [], sesAuthservId)
          : [];
      // mailauth computed DMARC for the one From address it read, checked above to be givefirst's;
      // SES names the domain in its own header.
      const dmarcDomain =
        verdicts.source === 'ses'
          ? dmarcHeaderFrom(sesResults)
          : verdicts.fromAddresses
            ? fromDomain
            : '';
      if (upper(verdicts.dmarc) === 'PASS' && dmarcDomain === fromDomain) {
        return { ok: true, because: `DMARC pass for ${fromDomain}` };
      }
      const signers =
        verdicts.source === 'ses' ? dkimPassDomains(sesResults) : (verdicts.dkimPassDomains ?? []);
      const signer = signers.find((d) => aligned(d, fromDomain));
      if (signer)
        return { ok: true, because: `DKIM pass for ${signer}, aligned with ${fromDomain}` };
      if (checksCouldNotRun(verdicts)) {
        return {
          ok: false,
          reason: 'sender-check-unavailable',
          detail: `sender authentication could not be completed (DMARC ${upper(verdicts.dmarc) || 'missing'}, DKIM ${upper(verdicts.dkim) || 'missing'}, SPF ${upper(verdicts.spf) || 'missing'})`,
        };
      }
      const others = signers.length ? ` (DKIM passed only for ${signers.join(', ')})` : '';
      const elsewhere =
        upper(verdicts.dmarc) === 'PASS'
          ? ` (DMARC passed for ${dmarcDomain || 'an unnamed domain'}, not ${fromDomain})`
          : '';
      return {
        ok: false,
        reason: 'sender-not-authenticated',
        detail: `DMARC ${upper(verdicts.dmarc) || 'missing'} and no DKIM pass aligned with ${fromDomain}${others}${elsewhere}`,
      };
    }
  }
}

/**
 * What a sender who did not pass comes to: a rejection with its reason, or, when the verdicts could
 * not be computed for now (DNS timed out), an error the door answers with a retry.
 */
export function refuseSender(
  judgement: Extract<SenderJudgement, { ok: false }>,
  userId?: string,
): Outcome {
  if (judgement.reason === 'sender-check-unavailable')
    throw new SenderCheckUnavailableError(judgement.detail);
  return rejected(judgement.reason, judgement.detail, userId);
}
