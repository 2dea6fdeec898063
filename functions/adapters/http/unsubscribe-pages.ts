import type { UnsubscribeOutcome } from '#use-cases/unsubscribe.ts';

/** What a one-click unsubscribe request gets back: a status and a small HTML page. */
export interface UnsubscribeResponse {
  status: number;
  html: string;
}

/** The headers of every unsubscribe page. */
export const unsubscribeHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
} as const;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="color-scheme" content="light dark"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid currentColor;background:none;color:inherit;cursor:pointer}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

/**
 * The pages of one-click unsubscribe, the same on the local listener and on AWS. A GET (link
 * scanners follow links) only shows a button that posts back; a POST (RFC 8058: mail clients post
 * `List-Unsubscribe=One-Click`) is what unsubscribes.
 */
export const unsubscribePages = {
  /** The page a plain GET shows: a button when the token would work; nothing is changed. */
  confirm(token: string, checked: UnsubscribeOutcome): UnsubscribeResponse {
    if (checked.status === 'refused') {
      return {
        status: 400,
        html: page('This link does not work', '<p>It may have expired. Nothing was changed.</p>'),
      };
    }
    // The form posts back to the same path: the listener and the function URL both serve it.
    const action = `?t=${encodeURIComponent(token)}`;
    return {
      status: 200,
      html: page(
        'Stop givefirst digests?',
        `<form method="post" action="${action}"><button type="submit">Stop my digests</button></form>`,
      ),
    };
  },
  /** The answer to a POST, once the use case ran. */
  done(outcome: UnsubscribeOutcome): UnsubscribeResponse {
    return outcome.status === 'unsubscribed'
      ? { status: 200, html: page('Done', '<p>You will get no more digests.</p>') }
      : { status: 400, html: page('This link does not work', '<p>Nothing was changed.</p>') };
  },
  failed: (): UnsubscribeResponse => ({
    status: 500,
    html: page('Something went wrong', '<p>Nothing was changed. Please try again.</p>'),
  }),
  notFound: (): UnsubscribeResponse => ({
    status: 404,
    html: page('Not found', '<p>Nothing here.</p>'),
  }),
  badRequest: (): UnsubscribeResponse => ({
    status: 400,
    html: page('Bad request', '<p>Nothing was changed.</p>'),
  }),
  tooLarge: (): UnsubscribeResponse => ({
    status: 413,
    html: page('Too large', '<p>Nothing was changed.</p>'),
  }),
  notAllowed: (): UnsubscribeResponse => ({
    status: 405,
    html: page('Not allowed', '<p>Nothing was changed.</p>'),
  }),
};
