import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '#domain/ports.ts';
import type { makeUnsubscribe } from '#use-cases/unsubscribe.ts';
import {
  type UnsubscribeResponse,
  unsubscribeHeaders,
  unsubscribePages,
} from './unsubscribe-pages.ts';

export interface RunningHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, { status, html }: UnsubscribeResponse) {
  res.writeHead(status, unsubscribeHeaders);
  res.end(html);
}

/** Reads (and drops) a small request body; one-click unsubscribe sends `List-Unsubscribe=One-Click`. */
async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) break;
  }
}

/**
 * The local stack's web listener: one-click unsubscribe. A POST unsubscribes (RFC 8058: mail
 * clients post `List-Unsubscribe=One-Click`); a plain GET, which link scanners follow, only shows a
 * page with a button and changes nothing.
 */
export async function startUnsubscribeListener(options: {
  host: string;
  port: number;
  unsubscribe: ReturnType<typeof makeUnsubscribe>;
  logger: Logger;
}): Promise<RunningHttp> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('t') ?? '';
    if (url.pathname !== '/unsubscribe') {
      reply(res, unsubscribePages.notFound());
      return;
    }
    if (req.method === 'GET') {
      reply(res, unsubscribePages.confirm(token, options.unsubscribe.check(token)));
      return;
    }
    if (req.method !== 'POST') {
      reply(res, unsubscribePages.notAllowed());
      return;
    }
    drain(req)
      .then(() => options.unsubscribe.unsubscribe(token))
      .then((outcome) => {
        options.logger.info('unsubscribe', { status: outcome.status });
        reply(res, unsubscribePages.done(outcome));
      })
      .catch((error: unknown) => {
        options.logger.error('unsubscribe failed', {
          failure: error instanceof Error ? error.message : String(error),
        });
        reply(res, unsubscribePages.failed());
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
