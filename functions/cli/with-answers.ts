import { silentLogger } from '#adapters/logger.ts';
import type { IngestEmail } from '#use-cases/ingest-email.ts';
import type { Connection } from './connect.ts';

/**
 * The ingest path with reply commands and unknown-tag notes when a running stack's SES emulator can
 * carry the answers; without one, replies and mail to start@ fail and are kept for redrive.
 */
export async function withAnswers<T>(
  conn: Connection,
  use: (ingest: IngestEmail) => Promise<T>,
): Promise<T> {
  if (!conn.sesEndpoint || !conn.dataDir) return use(conn.services.ingest);
  const { makeLocalReplyHandler } = await import('#local/reply-handler.ts');
  const replies = await makeLocalReplyHandler(conn.services, {
    dataDir: conn.dataDir,
    mailDomain: conn.mailDomain,
    sesEndpoint: conn.sesEndpoint,
    clock: conn.clock,
    logger: silentLogger,
  });
  try {
    return await use(conn.services.makeIngest(replies.answers));
  } finally {
    replies.close();
  }
}
