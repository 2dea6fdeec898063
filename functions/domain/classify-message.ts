import type { Classification, ParsedEmail } from './model.ts';

/**
 * Whether a message is a person writing, or an auto-reply, a bounce or mailing-list mail,
 * judged from its headers (RFC 3834, RFC 3464, RFC 2919). None of the latter is ever a reply.
 */
export function classifyMessage(email: Pick<ParsedEmail, 'headers' | 'contentType'>): {
  classification: Classification;
  because: string;
} {
  const h = email.headers;
  if (email.contentType.toLowerCase() === 'multipart/report') {
    return { classification: 'bounce', because: 'content-type multipart/report' };
  }
  const autoSubmitted = h['auto-submitted']?.trim().toLowerCase();
  // RFC 3834: the keyword `no`, possibly followed by parameters or a comment, means a person wrote it.
  if (autoSubmitted && autoSubmitted.split(/[\s;(]/)[0] !== 'no') {
    return { classification: 'auto-reply', because: `auto-submitted: ${autoSubmitted}` };
  }
  if (h['x-autoreply'] !== undefined) {
    return { classification: 'auto-reply', because: 'x-autoreply' };
  }
  if (h['x-autorespond'] !== undefined) {
    return { classification: 'auto-reply', because: 'x-autorespond' };
  }
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return precedence === 'list'
      ? { classification: 'mailing-list', because: 'precedence: list' }
      : { classification: 'auto-reply', because: `precedence: ${precedence}` };
  }
  if (h['return-path'] !== undefined && /^\s*<\s*>\s*$/.test(h['return-path'])) {
    return { classification: 'auto-reply', because: 'empty return-path' };
  }
  if (h['list-id'] !== undefined) return { classification: 'mailing-list', because: 'list-id' };
  return { classification: 'personal', because: 'no automation headers' };
}
