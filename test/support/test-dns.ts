import { generateKeyPairSync } from 'node:crypto';
import { type DNSResolver, dkimSign } from 'mailauth';
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
  /** Names whose lookups fail as a broken or unreachable DNS server does (ETIMEOUT, ESERVFAIL). */
  failing?: Record<string, 'ETIMEOUT' | 'ESERVFAIL'>;
}): DNSResolver {
  const txt = new Map<string, string[][]>();
  for (const key of records.keys ?? []) {
    txt.set(`${key.selector}._domainkey.${key.domain}`, [[`v=DKIM1; k=rsa; p=${key.publicKey}`]]);
  }
  for (const [name, value] of Object.entries(records.txt ?? {})) txt.set(name, [[value]]);
  return async (name, rrtype) => {
    const failure = records.failing?.[name.toLowerCase()];
    if (failure) throw Object.assign(new Error(`query ${failure} ${name}`), { code: failure });
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

/**
 * A raw message DKIM-signed as it stands, whatever its headers say: for messages no mail library
 * would compose (two From headers, group syntax), signed by whoever controls the key.
 */
export async function aSignedRaw(raw: string, signWith: SigningDomain): Promise<string> {
  const key = {
    signingDomain: signWith.domain,
    selector: signWith.selector,
    privateKey: signWith.privateKey,
  };
  // mailauth signs with the entries of signatureData; its type also asks for one at the top.
  const { signatures } = await dkimSign(Buffer.from(raw), { ...key, signatureData: [key] });
  return `${signatures}${raw}`;
}
