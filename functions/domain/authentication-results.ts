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
 * The results the receiving server itself wrote: only the topmost header whose authserv-id is
 * that server's. Headers below it, or with another authserv-id, came with the message and are
 * whatever the sender wanted them to say.
 */
export function receivingServerResults(headers: string[], authservId: string): AuthResult[] {
  const own = headers.find((h) => authservIdOf(h) === authservId.toLowerCase());
  return own ? parseAuthResults(own) : [];
}

/** The domains whose DKIM signature passed, from `header.d` or the domain of `header.i`. */
export function dkimPassDomains(results: AuthResult[]): string[] {
  return results
    .filter((r) => r.method === 'dkim' && r.result === 'pass')
    .map((r) =>
      (r.properties['header.d'] ?? r.properties['header.i']?.split('@').pop() ?? '').toLowerCase(),
    )
    .filter(Boolean);
}
