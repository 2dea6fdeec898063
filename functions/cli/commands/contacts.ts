import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

export const contacts: Command = (line, connected) =>
  connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    const { ledger } = await conn.services.relationships(user, line.asOf ?? conn.clock());
    const sorted = ledger.sort((a, b) => (a.address < b.address ? -1 : 1));
    const row = (c: (typeof sorted)[number]) =>
      [
        c.name ? `${c.name} <${c.address}>` : c.address,
        `out ${c.touchesOut}`,
        `in ${c.touchesIn}`,
        `last out ${c.lastOutAt?.slice(0, 10) ?? '-'}`,
        `last in ${c.lastInAt?.slice(0, 10) ?? '-'}`,
        c.openPromises.length ? `promised ${c.openPromises.length}` : '',
        c.owed ? 'owed a favour' : '',
        c.openAsks.length ? `asked ${c.openAsks.length}` : '',
        c.goingQuiet ? `going quiet (every ${c.cadenceDays} days)` : '',
      ]
        .filter(Boolean)
        .join('\t');
    print(line, { user: user.email, contacts: sorted }, () =>
      sorted.length ? sorted.map(row).join('\n') : 'no contacts yet',
    );
    return 0;
  });
