import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '#domain/ports.ts';
import type { makeUnsubscribe } from '#use-cases/unsubscribe.ts';

export interface RunningHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="color-scheme" content="light dark"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid currentColor;background:none;color:inherit;cursor:pointer}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

function reply(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
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
      reply(res, 404, page('Not found', '<p>Nothing here.</p>'));
      return;
    }
    if (req.method === 'GET') {
      const checked = options.unsubscribe.check(token);
      if (checked.status === 'refused') {
        reply(
          res,
          400,
          page('This link does not work', '<p>It may have expired. Nothing was changed.</p>'),
        );
      } else {
        const action = `/unsubscribe?t=${encodeURIComponent(token)}`;
        reply(
          res,
          200,
          page(
            'Stop givefirst digests?',
            `<form method="post" action="${action}"><button type="submit">Stop my digests</button></form>`,
          ),
        );
      }
      return;
    }
    if (req.method !== 'POST') {
      reply(res, 405, page('Not allowed', '<p>Nothing was changed.</p>'));
      return;
    }
    drain(req)
      .then(() => options.unsubscribe.unsubscribe(token))
      .then((outcome) => {
        options.logger.info('unsubscribe', { status: outcome.status });
        if (outcome.status === 'unsubscribed') {
          reply(res, 200, page('Done', '<p>You will get no more digests.</p>'));
        } else {
          reply(res, 400, page('This link does not work', '<p>Nothing was changed.</p>'));
        }
      })
      .catch((error: unknown) => {
        options.logger.error('unsubscribe failed', {
          failure: error instanceof Error ? error.message : String(error),
        });
        reply(
          res,
          500,
          page('Something went wrong', '<p>Nothing was changed. Please try again.</p>'),
        );
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
