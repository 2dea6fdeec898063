import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type AddressObject, type EmailAddress, MailParser } from 'mailparser';
import { UnreadableMailError } from '#domain/errors.ts';
import { isLiteralAddress, normaliseAddress } from '#domain/mailbox.ts';
import type { Mailbox, ParsedEmail } from '#domain/model.ts';
import type { ParseMail } from '#domain/ports.ts';

/** The raw headers the rules read; nothing else of the header block is kept. */
const keptHeaders = new Set([
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'precedence',
  'return-path',
  'list-id',
  'x-auto-response-suppress',
  'x-failed-recipients',
]);

/** Address headers, kept raw to check that each parsed address is really written there. */
const addressHeaders = new Set(['from', 'to', 'cc', 'bcc']);

/**
 * The mailboxes of an address header. An address counts only when it is written in the raw header
 * itself: one that appears only inside an encoded-word (display text) is dropped, and an entry
 * without an address never falls back to its display name.
 */
function mailboxes(value: unknown, rawHeader: string | undefined): Mailbox[] {
  const objects = (Array.isArray(value) ? value : value ? [value] : []) as AddressObject[];
  const out: Mailbox[] = [];
  const walk = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address?.includes('@') && isLiteralAddress(entry.address, rawHeader ?? '')) {
        out.push({ address: normaliseAddress(entry.address), name: (entry.name ?? '').trim() });
      }
    }
  };
  for (const object of objects) walk(object.value ?? []);
  return out;
}

function messageIds(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  const bracketed = text.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return text.split(/\s+/).filter((t) => t.includes('@'));
}

/**
 * mailparser's streaming parser. Attachments are drained as they stream past and never buffered;
 * only the headers the rules need and the text part are kept.
 */
export const parseMail: ParseMail = (raw: Readable) =>
  new Promise<ParsedEmail>((resolve, reject) => {
    const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true });
    let headers = new Map<string, unknown>();
    const rawHeaders: Record<string, string> = {};
    let text = '';
    let html = '';
    const fail = (error: unknown) =>
      reject(
        new UnreadableMailError(
          `could not parse the message: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );

    parser.on('headers', (map: Map<string, unknown>) => {
      headers = map;
    });
    const rawAddresses: Record<string, string> = {};
    const authenticationResults: string[] = [];
    parser.on('headerLines', (lines: { key: string; line: string }[]) => {
      for (const { key, line } of lines) {
        const value = line
          .slice(line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim();
        if (key === 'authentication-results') authenticationResults.push(value);
        else if (addressHeaders.has(key)) rawAddresses[key] = `${rawAddresses[key] ?? ''} ${value}`;
        else if (keptHeaders.has(key) && rawHeaders[key] === undefined) rawHeaders[key] = value;
      }
    });
    parser.on(
      'data',
      (data: {
        type: string;
        text?: string;
        html?: string | false;
        content?: Readable;
        release?: () => void;
      }) => {
        if (data.type === 'attachment') {
          data.content?.on('end', () => data.release?.());
          data.content?.resume();
        } else if (data.type === 'text') {
          text = data.text ?? '';
          html = typeof data.html === 'string' ? data.html : '';
        }
      },
    );
    parser.on('error', fail);
    raw.on('error', fail);
    parser.on('end', () => {
      const from = mailboxes(headers.get('from'), rawAddresses.from)[0] ?? null;
      const date = headers.get('date');
      const contentType = headers.get('content-type') as { value?: string } | undefined;
      const body = text || html;
      resolve({
        from,
        to: mailboxes(headers.get('to'), rawAddresses.to),
        cc: mailboxes(headers.get('cc'), rawAddresses.cc),
        bcc: mailboxes(headers.get('bcc'), rawAddresses.bcc),
        subject: ((headers.get('subject') as string | undefined) ?? '').trim(),
        date: date instanceof Date && !Number.isNaN(date.getTime()) ? date : null,
        messageId: messageIds(headers.get('message-id'))[0] ?? null,
        inReplyTo: messageIds(headers.get('in-reply-to')),
        references: messageIds(headers.get('references')),
        headers: rawHeaders,
        authenticationResults,
        contentType: (contentType?.value ?? 'text/plain').toLowerCase(),
        text: text || html.replace(/<[^>]*>/g, ' '),
        bodyDigest: createHash('sha256').update(body).digest('base64url').slice(0, 22),
      });
    });
    raw.pipe(parser);
  });
