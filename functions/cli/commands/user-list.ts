import { print } from '../output.ts';
import type { Command } from './command.ts';

export const userList: Command = (line, connected) =>
  connected(async (conn) => {
    const users = await conn.services.store.listUsers();
    print(line, { users }, () =>
      users.length
        ? users
            .map(
              (u) =>
                `${u.email}\t${u.timeZone}\t${u.digestAt}${u.aliases.length ? `\t${u.aliases.join(',')}` : ''}`,
            )
            .join('\n')
        : 'no users yet',
    );
    return 0;
  });
