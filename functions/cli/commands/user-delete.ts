import { createInterface } from 'node:readline/promises';
import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

/** Asks on the terminal; anything but "yes", or input that ends unanswered, keeps the user. */
function confirmed(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.once('close', () => resolve(false));
    rl.question(question).then(
      (answer) => {
        resolve(answer.trim().toLowerCase() === 'yes');
        rl.close();
      },
      () => resolve(false),
    );
  });
}

/** Every item of a user, after asking (unless --yes). */
export const userDelete: Command = (line, connected) =>
  connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    if (
      !line.yes &&
      !(await confirmed(
        `Delete ${user.email} and every record of theirs (messages, settings, digests)? Type yes: `,
      ))
    ) {
      print(line, { ok: false, deleted: null }, () => `not deleted: ${user.email} is kept`);
      return 1;
    }
    const deleted = await conn.services.store.deleteUser(user, {
      rawMail: conn.services.rawMail,
    });
    print(
      line,
      { ok: true, user: user.email, deleted },
      () =>
        `deleted ${user.email}: ${deleted.messages} messages, ${deleted.digests} digests, ${deleted.other} other records, ${deleted.addresses} addresses, ${deleted.ownerRows} message owner entries, ${deleted.receipts} receipts, ${deleted.rawMail} raw messages\n(parked replies name no user and expire with the raw mail)`,
    );
    return 0;
  });
