import { sendingState, sendingStateLabel } from '#domain/sending-state.ts';
import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

/** Back to active, whatever stopped the digests (pause, unsubscribe, bounce, complaint). */
export const userResume: Command = (line, connected) =>
  connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    const was = sendingState(user, conn.clock());
    const result = await conn.services.manageUser.resume(user);
    if (!result.ok) return 1;
    print(
      line,
      { ...result, was },
      () =>
        `${user.email}: ${was.state === 'active' ? 'already active' : `was ${sendingStateLabel(was)}, now active`}; next digest ${result.nextDigest}`,
    );
    return 0;
  });
