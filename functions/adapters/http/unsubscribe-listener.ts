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

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function reply(res: ServerResponse, { status, html }: UnsubscribeResponse) {
  res.writeHead(status, unsubscribeHeaders);
  res.end(html);
}

/** One-click unsubscribe posts `List-Unsubscribe=One-Click`; anything much larger is not a mail client. */
const maxBodyBytes = 10_000;
/** A client gets this long to send its headers, and its whole request: a slow sender holds nothing for ever. */
const headersTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;

/** What a request Node could not read is answered with; anything else it could not read is a 400. */
const clientErrorStatus: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
};

/** A request body over `maxBodyBytes`: answered 413, and the rest is not read. */
export class RequestTooLargeError extends Error {
  constructor() {
    super(`request body over ${maxBodyBytes} bytes`);
    this.name = 'RequestTooLargeError';
  }
}

/** Reads (and drops) a small request body; refuses one over the limit as soon as it passes it. */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      reject(new RequestTooLargeError());
      return;
    }
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.pause();
        reject(new RequestTooLargeError());
      }
    });
    req.once('end', () => resolve());
    req.once('error', reject);
  });
}

/** The path and token of a request target, or null when it is not one (`//[`, `http://[`, …). */
function readTarget(raw: string | undefined): { path: string; token: string } | null {
  if (!raw?.startsWith('/') || raw.startsWith('//')) return null;
  const url = URL.parse(raw, 'http://localhost');
  if (!url) return null;
  return { path: url.pathname, token: url.searchParams.get('t') ?? '' };
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
  const { logger } = options;
  const server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs },
    (req, res) => {
      try {
        handle(req, res);
      } catch (error) {
        // A throw here would be an uncaught exception: one request must cost one request.
        logger.error('web request failed', { failure: describe(error) });
        if (!res.headersSent) reply(res, unsubscribePages.failed());
        else res.destroy();
      }
    },
  );
  // A request Node cannot parse (bad request line, header, method) never reaches the handler.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    logger.warn('malformed web request', { code: error.code ?? 'unknown' });
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status = clientErrorStatus[error.code ?? ''] ?? '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse) {
    const target = readTarget(req.url);
    if (!target) {
      reply(res, unsubscribePages.badRequest());
      return;
    }
    const { token } = target;
    if (target.path !== '/unsubscribe') {
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
        logger.info('unsubscribe', { status: outcome.status });
        reply(res, unsubscribePages.done(outcome));
      })
      .catch((error: unknown) => {
        if (error instanceof RequestTooLargeError) {
          // The rest of the body is not read: the connection closes after the answer.
          res.setHeader('connection', 'close');
          reply(res, unsubscribePages.tooLarge());
          return;
        }
        logger.error('unsubscribe failed', { failure: describe(error) });
        reply(res, unsubscribePages.failed());
      });
  }
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
