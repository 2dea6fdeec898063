import { sendingState, sendingStateLabel } from '#domain/sending-state.ts';
import { print } from '../output.ts';
import type { Command } from './command.ts';

export const userList: Command = (line, connected) =>
  connected(async (conn) => {
    const now = conn.clock();
    const users = (await conn.services.store.listUsers()).map((u) => ({
      ...u,
      sendingState: sendingState(u, now),
    }));
    print(line, { users }, () =>
      users.length
        ? users
            .map(
              (u) =>
                `${u.email}\t${u.timeZone}\t${u.digestAt}\t${sendingStateLabel(u.sendingState)}${u.aliases.length ? `\t${u.aliases.join(',')}` : ''}`,
            )
            .join('\n')
        : 'no users yet',
    );
    return 0;
  });
