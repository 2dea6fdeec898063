import { generateKeyPairSync } from 'node:crypto';
import type { DNSResolver } from 'mailauth';
import nodemailer, { type SendMailOptions } from 'nodemailer';

export interface SigningDomain {
  domain: string;
  selector: string;
  privateKey: string;
}

/** A DKIM key for a domain, made for the test run. */
export function aSigningDomain(
  domain: string,
  selector = 'test',
): SigningDomain & { publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    domain,
    selector,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/**
 * A DNS that answers only what a test publishes (DKIM keys, SPF, DMARC) and says "no such name"
 * to everything else, as mailauth expects of `dns.promises.resolve`.
 */
export function aTestDns(records: {
  keys?: (SigningDomain & { publicKey: string })[];
  txt?: Record<string, string>;
}): DNSResolver {
  const txt = new Map<string, string[][]>();
  for (const key of records.keys ?? []) {
    txt.set(`${key.selector}._domainkey.${key.domain}`, [[`v=DKIM1; k=rsa; p=${key.publicKey}`]]);
  }
  for (const [name, value] of Object.entries(records.txt ?? {})) txt.set(name, [[value]]);
  return async (name, rrtype) => {
    const found = rrtype === 'TXT' ? txt.get(name.toLowerCase()) : undefined;
    if (found) return found;
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

/** Composes a message with nodemailer and, given a key, DKIM-signs it as a sending server would. */
export async function aComposedMessage(
  message: SendMailOptions,
  signWith?: SigningDomain,
): Promise<Buffer> {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  const info = await transport.sendMail({
    ...message,
    ...(signWith
      ? {
          dkim: {
            domainName: signWith.domain,
            keySelector: signWith.selector,
            privateKey: signWith.privateKey,
          },
        }
      : {}),
  });
  return info.message as Buffer;
}
