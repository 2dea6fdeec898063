import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

export const threads: Command = (line, connected) =>
  connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    const asOf = line.asOf ?? conn.clock();
    const threads = await conn.services.listThreads(user, asOf);
    const row = (c: (typeof threads)[number]['contacts'][number]) =>
      `  ${c.name ? `${c.name} <${c.address}>` : c.address}: ${c.state}${c.nudges ? `, nudged ${c.nudges}×` : ''}${c.dueOn && (c.state === 'waiting' || c.state === 'due') ? `, due ${c.dueOn}` : ''}${c.reason ? ` — ${c.reason}` : ''}`;
    print(
      line,
      { user: user.email, timeZone: user.timeZone, asOf: asOf.toISOString(), threads },
      () =>
        threads.length
          ? threads
              .map(
                (t) =>
                  `${t.subject || '(no subject)'}  (${t.messages} message${t.messages === 1 ? '' : 's'}, last ${t.lastAt})\n${t.contacts.map(row).join('\n') || '  no reply awaited'}`,
              )
              .join('\n')
          : 'no threads yet',
    );
    return 0;
  });
