import { getDomain } from 'tldts';
import { dkimPassDomains, receivingServerResults } from './authentication-results.ts';
import { domainOf } from './mailbox.ts';
import type { Verdicts } from './model.ts';

export type SenderJudgement =
  | { ok: true; because: string }
  | { ok: false; reason: 'sender-not-authenticated' | 'spam' | 'virus'; detail: string };

/** SES writes its own Authentication-Results with this authserv-id, above any that came with the mail. */
export const sesAuthservId = 'amazonses.com';

const upper = (v: string | undefined) => (v ?? '').toUpperCase();

/** The organisational domain (public suffix plus one label), for relaxed DMARC alignment. */
function organisationalDomain(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: false }) ?? domain;
}

/** Relaxed alignment (RFC 7489 3.1.1): the same organisational domain. */
export function aligned(signingDomain: string, fromDomain: string): boolean {
  if (!signingDomain || !fromDomain) return false;
  return (
    organisationalDomain(signingDomain.toLowerCase()) ===
    organisationalDomain(fromDomain.toLowerCase())
  );
}

/**
 * Whether the From address of a received message can be believed.
 *
 * Accept only a DMARC pass, or a DKIM pass for a domain aligned with the From domain. On AWS the
 * DKIM domains come from SES's own Authentication-Results only (the topmost with authserv-id
 * amazonses.com); locally mailauth reports them. The operator vouching (`ingest --trust-sender`)
 * or local mode started with authentication relaxed skip the check. A spam or virus FAIL is refused
 * whatever the rest says.
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
      if (upper(verdicts.dmarc) === 'PASS') return { ok: true, because: 'DMARC pass' };
      const fromDomain = domainOf(input.fromAddress);
      const signers =
        verdicts.source === 'ses'
          ? dkimPassDomains(
              receivingServerResults(input.authenticationResults ?? [], sesAuthservId),
            )
          : (verdicts.dkimPassDomains ?? []);
      const signer = signers.find((d) => aligned(d, fromDomain));
      if (signer)
        return { ok: true, because: `DKIM pass for ${signer}, aligned with ${fromDomain}` };
      const others = signers.length ? ` (DKIM passed only for ${signers.join(', ')})` : '';
      return {
        ok: false,
        reason: 'sender-not-authenticated',
        detail: `DMARC ${upper(verdicts.dmarc) || 'missing'} and no DKIM pass aligned with ${fromDomain}${others}`,
      };
    }
  }
}
