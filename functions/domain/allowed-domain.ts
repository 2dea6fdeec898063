import { domainOf, normaliseAddress } from './mailbox.ts';

export type ReadDomain = { ok: true; domain: string } | { ok: false; problem: string };

/**
 * A domain as the operator typed it for `givefirst allow` (`example.com`, `@Example.com`,
 * `bücher.example`), in the one spelling addresses are compared in: lower-case, punycode. Only
 * that exact domain is allowed: `example.com` does not let `mail.example.com` in.
 */
export function readAllowedDomain(typed: string): ReadDomain {
  const bare = typed.trim().replace(/^@/, '');
  const domain = bare.includes('@') ? '' : domainOf(normaliseAddress(`x@${bare}`));
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return domain.length <= 253 && new RegExp(`^(?:${label}\\.)+${label}$`).test(domain)
    ? { ok: true, domain }
    : {
        ok: false,
        problem: `"${typed}" is not a domain; for example: givefirst allow example.com`,
      };
}
