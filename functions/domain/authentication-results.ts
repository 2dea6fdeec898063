/** One method result of an Authentication-Results header (RFC 8601), e.g. `dkim=pass header.d=example.com`. */
export interface AuthResult {
  method: string;
  result: string;
  properties: Record<string, string>;
}

function withoutComments(text: string): string {
  let out = text;
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out.replace(/\([^()]*\)/g, ' ');
  }
  return out;
}

/** The authserv-id of a header value: the first token, without a version number. */
export function authservIdOf(header: string): string {
  const first = withoutComments(header).split(';')[0] ?? '';
  return (first.trim().split(/\s+/)[0] ?? '').toLowerCase();
}

/** The method results of one header value. */
export function parseAuthResults(header: string): AuthResult[] {
  const [, ...parts] = withoutComments(header).split(';');
  const results: AuthResult[] = [];
  for (const part of parts) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    const head = /^([\w.-]+)=([\w-]+)$/.exec(tokens[0] ?? '');
    if (!head) continue;
    const properties: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq > 0)
        properties[token.slice(0, eq).toLowerCase()] = token.slice(eq + 1).replace(/^"|"$/g, '');
    }
    results.push({
      method: (head[1] ?? '').toLowerCase(),
      result: (head[2] ?? '').toLowerCase(),
      properties,
    });
  }
  return results;
}

/**
 * The results the receiving server itself wrote: the topmost header of all, when its authserv-id is
 * that server's. The receiving server adds its own above everything that came with the message;
 * any other header, or one lower down with the same authserv-id, is whatever the sender wanted it
 * to say. Without the server's own header on top nothing here is believed.
 */
export function receivingServerResults(headers: string[], authservId: string): AuthResult[] {
  const top = headers[0];
  return top !== undefined && authservIdOf(top) === authservId.toLowerCase()
    ? parseAuthResults(top)
    : [];
}

/** A host name as DNS spells it: letters, digits and hyphens, at least two labels; else null. */
function strictDomain(value: string | undefined): string | null {
  if (value === undefined) return null;
  const domain = value.toLowerCase();
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = domain.split('.');
  return labels.length >= 2 && domain.length <= 253 && labels.every((l) => label.test(l))
    ? domain
    : null;
}

/**
 * The signing domain of one DKIM pass, read strictly: `header.d` a host name, `header.i` an
 * identity `[local]@domain` with exactly one `@` whose domain is `header.d` or below it
 * (RFC 6376 3.5). Anything malformed passes nothing.
 */
function signingDomain(result: AuthResult): string | null {
  const d = result.properties['header.d'];
  const i = result.properties['header.i'];
  const domain = strictDomain(d);
  if (d !== undefined && !domain) return null;
  if (i === undefined) return domain;
  const parts = i.split('@');
  const identityDomain = parts.length === 2 ? strictDomain(parts[1]) : null;
  if (!identityDomain) return null;
  if (!domain) return identityDomain;
  return identityDomain === domain || identityDomain.endsWith(`.${domain}`) ? domain : null;
}

/** The domains whose DKIM signature passed, from `header.d` or the domain of `header.i`, read strictly. */
export function dkimPassDomains(results: AuthResult[]): string[] {
  return results
    .filter((r) => r.method === 'dkim' && r.result === 'pass')
    .map(signingDomain)
    .filter((d): d is string => d !== null);
}

/**
 * The From domain the DMARC result was computed for (`header.from`), or '' when there is not
 * exactly one DMARC result naming one well-formed domain.
 */
export function dmarcHeaderFrom(results: AuthResult[]): string {
  const dmarc = results.filter((r) => r.method === 'dmarc');
  if (dmarc.length !== 1) return '';
  return strictDomain(dmarc[0]?.properties['header.from']) ?? '';
}
