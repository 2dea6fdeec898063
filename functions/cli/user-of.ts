import type { User } from '#domain/model.ts';
import { UsageError } from './command-line.ts';
import type { Connection } from './connect.ts';

/** The registered user an address belongs to (their own or an alias); a mistake otherwise. */
export async function userOf(conn: Connection, email: string | undefined): Promise<User> {
  if (!email) throw new UsageError("which user? give the user's email address");
  const user = await conn.services.store.findUserByAddress(email);
  if (!user) {
    throw new UsageError(
      `${email} is not a registered user`,
      'givefirst user list shows who is; givefirst user add EMAIL registers one',
    );
  }
  return user;
}
