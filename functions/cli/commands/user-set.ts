import { sendingStateLabel } from '#domain/sending-state.ts';
import { UsageError } from '../command-line.ts';
import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

/** A user's zone and digest hour; their next digest moves at once. */
export const userSet: Command = (line, connected) => {
  if (line.tz === undefined && line.at === undefined) {
    throw new UsageError(
      'user set needs what to change: --tz ZONE, --at HH:MM or both',
      `for example: givefirst user set ${line.operands[0]} --tz Europe/Berlin --at 07:30`,
    );
  }
  return connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    const result = await conn.services.manageUser.set(user, {
      ...(line.tz !== undefined ? { timeZone: line.tz } : {}),
      ...(line.at !== undefined ? { digestAt: line.at } : {}),
    });
    if (!result.ok) {
      print(line, result, () => result.problems.map((p) => `not changed: ${p}`).join('\n'));
      return 1;
    }
    const u = result.user;
    print(
      line,
      result,
      () =>
        `${u.email}: ${u.timeZone}, digest at ${u.digestAt}, ${sendingStateLabel(result.state)}${result.nextDigest ? `; next digest ${result.nextDigest}` : ''}`,
    );
    return 0;
  });
};
