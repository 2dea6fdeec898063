import type { Readable } from 'node:stream';
import { authenticate, type DNSResolver } from 'mailauth';
import type { Verdicts } from '#domain/model.ts';

/** What the SMTP session knew about the client, for SPF. */
export interface SmtpClient {
  ip?: string;
  helo?: string;
  mailFrom?: string;
}

export type ComputeVerdicts = (raw: Readable, client: SmtpClient) => Promise<Verdicts>;

/**
 * Sender-authentication verdicts computed by mailauth (DKIM, SPF, DMARC), in the shape SES gives
 * them, so one rule judges both runtimes. `resolver` defaults to the system's DNS; tests hand it
 * one that serves their keys and policies.
 */
export function makeMailauthVerdicts(options: {
  mta: string;
  resolver?: DNSResolver;
}): ComputeVerdicts {
  return async (raw, client) => {
    let result: Awaited<ReturnType<typeof authenticate>>;
    try {
      result = await authenticate(raw, {
        mta: options.mta,
        ...(client.ip ? { ip: client.ip } : {}),
        ...(client.helo ? { helo: client.helo } : {}),
        ...(client.mailFrom ? { sender: client.mailFrom } : {}),
        ...(options.resolver ? { resolver: options.resolver } : {}),
        disableArc: true,
        disableBimi: true,
      });
    } catch {
      // A check that could not run is neither a pass nor a fail: the sender is asked to retry.
      return { source: 'mailauth', spf: 'temperror', dkim: 'temperror', dmarc: 'temperror' };
    }
    const signatures = result.dkim.results ?? [];
    const passed = signatures.filter((s) => s.status.result === 'pass');
    return {
      source: 'mailauth',
      spf: result.spf ? result.spf.status.result : 'none',
      dkim: passed.length ? 'pass' : (signatures[0]?.status.result ?? 'none'),
      dmarc: result.dmarc ? result.dmarc.status.result : 'none',
      dkimPassDomains: passed.map((s) => s.signingDomain.toLowerCase()),
      // The From addresses mailauth read (its own address parser): DMARC and alignment were
      // judged for these, so givefirst logs the message only when it read the same one.
      fromAddresses: result.dkim.headerFrom ?? [],
    };
  };
}
