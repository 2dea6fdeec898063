import { normaliseAddress } from '#domain/mailbox.ts';
import { print } from '../output.ts';
import type { Command } from './command.ts';

/** Registers a user; an address that is already someone's is refused, never overwritten. */
export const userAdd: Command = (line, connected) =>
  connected(async (conn) => {
    const email = line.operands[0] ?? '';
    const existing = await conn.services.store.findUserByAddress(email);
    if (existing) {
      // Adding again would replace their settings and never-log list and reschedule their digest.
      const problem =
        existing.email === normaliseAddress(email)
          ? `${existing.email} is already a registered user`
          : `${normaliseAddress(email)} already belongs to the registered user ${existing.email}`;
      const instead = `givefirst user set ${existing.email} --tz ZONE --at HH:MM changes their settings; givefirst user resume ${existing.email} sends them digests again`;
      print(
        line,
        { ok: false, problems: [problem], hint: instead },
        () => `not added: ${problem} (see: givefirst user list)\n${instead}`,
      );
      return 1;
    }
    const result = await conn.services.registerUser({
      email,
      aliases: line.alias,
      ...(line.tz !== undefined ? { timeZone: line.tz } : {}),
      ...(line.at !== undefined ? { digestAt: line.at } : {}),
    });
    if (!result.ok) {
      print(line, { ok: false, problems: result.problems }, () =>
        result.problems.map((p) => `not added: ${p}`).join('\n'),
      );
      return 1;
    }
    const u = result.user;
    print(
      line,
      { ok: true, user: u },
      () =>
        `added ${u.email}${u.aliases.length ? ` (also ${u.aliases.join(', ')})` : ''}, ${u.timeZone}, digest at ${u.digestAt}\nBCC log@${conn.mailDomain} on the mail you send.`,
    );
    return 0;
  });
