import { readAllowedDomain } from '#domain/allowed-domain.ts';
import { UsageError } from '../command-line.ts';
import { print } from '../output.ts';
import type { Command } from './command.ts';

/** `allow DOMAIN`, `allow --list`, `allow --remove DOMAIN`: who may join by writing to start@. */
export const allow: Command = async (line, connected) => {
  const typed = line.operands[0];
  const read = typed === undefined ? null : readAllowedDomain(typed);
  if (read && !read.ok) throw new UsageError(read.problem);
  const domain = read?.ok ? read.domain : null;
  return connected(async (conn) => {
    const { onboarding } = conn.services;
    if (domain === null) {
      const domains = await onboarding.allowedDomains();
      print(line, { domains }, () =>
        domains.length
          ? domains.map((d) => `${d.domain}\tallowed ${d.allowedAt}`).join('\n')
          : `no domain is allowed: start@${conn.mailDomain} takes no sign-ups`,
      );
      return 0;
    }
    if (line.remove) {
      const removed = await onboarding.removeDomain(domain);
      print(line, { domain, removed }, () =>
        removed ? `${domain} removed: its people can no longer join` : `${domain} was not allowed`,
      );
      return removed ? 0 : 1;
    }
    const added = await onboarding.allowDomain(domain, conn.clock());
    print(line, { domain, added }, () =>
      added
        ? `${domain} allowed: its people may join by writing to start@${conn.mailDomain}`
        : `${domain} was already allowed`,
    );
    return 0;
  });
};
