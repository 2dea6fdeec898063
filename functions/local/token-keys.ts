import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTokens, type ReplyTokens } from '#domain/reply-token.ts';

/**
 * The local stack's reply-token key: made once, at random, and kept in the data folder (readable
 * by its owner only), so tokens in digests already sent keep working across restarts.
 */
export async function localReplyTokens(dataDir: string): Promise<ReplyTokens> {
  const file = path.join(dataDir, 'reply-token-key');
  let secret: Buffer;
  try {
    secret = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch {
    secret = randomBytes(32);
    await writeFile(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
      async () => {
        secret = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
      },
    );
  }
  return makeTokens({ keys: [{ id: 1, secret }], signWith: 1 });
}
