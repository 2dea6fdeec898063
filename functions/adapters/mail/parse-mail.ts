import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import iconv from 'iconv-lite';
// Before mailparser loads libmime: see the module.
import './lazy-double-byte-tables.ts';
import { type AddressObject, type EmailAddress, MailParser } from 'mailparser';
import { UnreadableMailError } from '#domain/errors.ts';
import {
  fromAmbiguity,
  isLiteralAddress,
  longestAddress,
  normaliseAddress,
} from '#domain/mailbox.ts';
import type { Mailbox, ParsedEmail } from '#domain/model.ts';
import type { ParseMail } from '#domain/ports.ts';

/** The raw headers the rules read; nothing else of the header block is kept. */
const keptHeaders = new Set([
  // As written, for its zone offset: a welcome guesses the sender's time zone from it.
  'date',
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'precedence',
  'return-path',
  'list-id',
  'x-auto-response-suppress',
  'x-failed-recipients',
]);

/**
 * How much of the body the rules read. The user's own new text is at the top; what lies past this
 * is quoted thread or pasted material, and reading it all would cost time and memory that grow with
 * the body (measured: an 8 MB quoted thread took 2 s and over 500 MB in the quote splitter).
 */
const rulesTextLimit = 64 * 1024;

/** Address headers, kept raw to check that each parsed address is really written there. */
const addressHeaders = new Set(['from', 'to', 'cc', 'bcc']);

/**
 * The mailboxes of an address header. An address counts only when it is written in the raw header
 * itself: one that appears only inside an encoded-word (display text) is dropped, and an entry
 * without an address never falls back to its display name. One longer than any address can be is
 * not an address either.
 */
function mailboxes(value: unknown, rawHeader: string | undefined): Mailbox[] {
  const objects = (Array.isArray(value) ? value : value ? [value] : []) as AddressObject[];
  const out: Mailbox[] = [];
  const walk = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (
        entry.address?.includes('@') &&
        entry.address.length <= longestAddress &&
        isLiteralAddress(entry.address, rawHeader ?? '')
      ) {
        const name = withUtf7Words((entry.name ?? '').trim(), rawHeader);
        out.push({ address: normaliseAddress(entry.address), name });
      }
    }
  };
  for (const object of objects) walk(object.value ?? []);
  return out;
}

/**
 * A raw header line as mailparser hands it over (one character per byte). Undeclared 8-bit text in
 * a header is UTF-8 (RFC 6532), as mailparser decodes the parsed values; a line that is not valid
 * UTF-8 is left as it was.
 */
function headerLineText(line: string): string {
  if (!/[\x80-\xff]/.test(line)) return line;
  const utf8 = Buffer.from(line, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? line : utf8;
}

/**
 * UTF-7 (RFC 2152) text as plain text. mailparser refuses to decode UTF-7 (in HTML it can smuggle
 * markup past a filter) and passes it through as the 7-bit text it is; givefirst keeps only plain
 * text, so it decodes it with iconv-lite (mailparser's own charset library).
 */
function decodeUtf7(text: string): string {
  return iconv.decode(Buffer.from(text, 'latin1'), 'utf7');
}

const isUtf7 = (charset: string) =>
  /^(?:(?:cs)?unicode11)?utf7$/.test(charset.toLowerCase().replace(/[^a-z0-9]/g, ''));

/**
 * The UTF-7 encoded-words of a raw header, each as the 7-bit text mailparser left in the decoded
 * value and as what it says: replacing one by the other decodes the value.
 */
function utf7Words(rawHeader: string): { passed: string; decoded: string }[] {
  const words = rawHeader.matchAll(/=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g);
  const found: { passed: string; decoded: string }[] = [];
  for (const [, charset = '', encoding = '', payload = ''] of words) {
    if (!isUtf7(charset)) continue;
    const passed =
      encoding.toLowerCase() === 'b'
        ? Buffer.from(payload, 'base64').toString('latin1')
        : payload
            .replace(/_/g, ' ')
            .replace(/=([0-9a-fA-F]{2})/g, (__, hex: string) =>
              String.fromCharCode(Number.parseInt(hex, 16)),
            );
    found.push({ passed, decoded: decodeUtf7(passed) });
  }
  return found;
}

function withUtf7Words(value: string, rawHeader: string | undefined): string {
  let out = value;
  for (const { passed, decoded } of utf7Words(rawHeader ?? '')) out = out.replace(passed, decoded);
  return out;
}

function messageIds(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  const bracketed = text.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return text.split(/\s+/).filter((t) => t.includes('@'));
}

/**
 * The largest attached message that is read (a forward as attachment): past this it is drained like
 * any other attachment, so an attachment can never make the parser hold more than this.
 */
const attachedMessageLimit = 10 * 1024 * 1024;

const isMessageType = (contentType: string | undefined) =>
  contentType === 'message/rfc822' || contentType === 'message/global';

/** Reads an attachment to its end and lets the parser go on, keeping nothing. */
function drain(content: Readable | undefined, release: (() => void) | undefined) {
  content?.on('end', () => release?.());
  content?.resume();
}

/**
 * An attached message, parsed as it streams past (its own attachments drained, a message attached
 * inside it not read). Null when it is larger than attachedMessageLimit or cannot be parsed; either
 * way the rest of it is drained, so the outer message is read to its end.
 */
function readAttachedMessage(
  content: Readable | undefined,
  release: (() => void) | undefined,
): Promise<ParsedEmail | null> {
  if (!content) return Promise.resolve(null);
  return new Promise((resolve) => {
    const inner = new PassThrough();
    let reading = true;
    let bytes = 0;
    const giveUp = () => {
      if (!reading) return;
      reading = false;
      inner.destroy();
      content.resume();
      resolve(null);
    };
    parseMessage(inner, { readAttached: false }).then(resolve, giveUp);
    content.on('data', (chunk: Buffer) => {
      if (!reading) return;
      bytes += chunk.length;
      if (bytes > attachedMessageLimit) giveUp();
      else if (!inner.write(chunk)) {
        content.pause();
        inner.once('drain', () => content.resume());
      }
    });
    content.on('error', giveUp);
    content.on('end', () => {
      if (reading) inner.end();
      release?.();
    });
  });
}

/** How much of a body is encoded for its digest at a time. */
export const digestSlice = 64 * 1024;

/**
 * The digest of a whole body (SHA-256 of its UTF-8, 22 characters of base64url), hashed a slice at
 * a time: hashing a string encodes all of it first, a second copy of a long body held at once (an
 * 8 MB text body's ingest peaked 8 MB higher for it). The same digest as one update of the whole.
 */
export function bodyDigestOf(body: string): string {
  const hash = createHash('sha256');
  for (let start = 0; start < body.length; ) {
    let end = Math.min(start + digestSlice, body.length);
    // A surrogate pair is encoded as one character only whole, so no slice ends between its halves.
    if (end < body.length && /[\uD800-\uDBFF]/.test(body[end - 1] as string)) end--;
    hash.update(body.slice(start, end));
    start = end;
  }
  return hash.digest('base64url').slice(0, 22);
}

/** No HTML made from the text, no image links, no embedded parts: the rules read only text. */
export const mailParserOptions = {
  skipImageLinks: true,
  skipTextToHtml: true,
  ignoreEmbedded: true,
} as const;

/**
 * mailparser's streaming parser. Attachments are drained as they stream past and never buffered;
 * only the headers the rules need and the text part are kept. The first attached message
 * (message/rfc822 or message/global, a forward as attachment) is parsed the same way.
 */
export const parseMail: ParseMail = (raw: Readable) => parseMessage(raw, { readAttached: true });

function parseMessage(raw: Readable, options: { readAttached: boolean }): Promise<ParsedEmail> {
  return new Promise<ParsedEmail>((resolve, reject) => {
    // Every attached message is an attachment, also one marked inline: its text is never mixed
    // into the text of the message it is attached to.
    const parser = new MailParser(mailParserOptions);
    let headers = new Map<string, unknown>();
    const rawHeaders: Record<string, string> = {};
    let text = '';
    let html = '';
    let attachedMessage: Promise<ParsedEmail | null> | null = null;
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
    const rawFromHeaders: string[] = [];
    let rawSubject: string | undefined;
    const authenticationResults: string[] = [];
    parser.on('headerLines', (lines: { key: string; line: string }[]) => {
      for (const { key, line } of lines) {
        const text = headerLineText(line);
        const value = text
          .slice(text.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim();
        if (key === 'from') rawFromHeaders.push(value);
        if (key === 'authentication-results') authenticationResults.push(value);
        else if (addressHeaders.has(key)) rawAddresses[key] = `${rawAddresses[key] ?? ''} ${value}`;
        else if (key === 'subject' && rawSubject === undefined) rawSubject = value;
        else if (keptHeaders.has(key) && rawHeaders[key] === undefined) rawHeaders[key] = value;
      }
    });
    parser.on(
      'data',
      (data: {
        type: string;
        contentType?: string;
        text?: string;
        html?: string | false;
        content?: Readable;
        release?: () => void;
      }) => {
        if (data.type === 'attachment') {
          if (options.readAttached && !attachedMessage && isMessageType(data.contentType))
            attachedMessage = readAttachedMessage(data.content, data.release);
          else drain(data.content, data.release);
        } else if (data.type === 'text') {
          text = data.text ?? '';
          html = typeof data.html === 'string' ? data.html : '';
        }
      },
    );
    parser.on('error', fail);
    raw.on('error', fail);
    const finish = (attached: ParsedEmail | null) => {
      const from = mailboxes(headers.get('from'), rawAddresses.from)[0] ?? null;
      const fromValue = headers.get('from') as AddressObject | AddressObject[] | undefined;
      const fromEntries = (
        Array.isArray(fromValue) ? fromValue : fromValue ? [fromValue] : []
      ).flatMap((object) => object.value ?? []);
      const date = headers.get('date');
      const contentType = headers.get('content-type') as
        | { value?: string; params?: Record<string, string> }
        | undefined;
      // A single-part UTF-7 body reaches here undecoded (see decodeUtf7); a UTF-7 part inside a
      // multipart message is not seen here and stays as sent.
      if (isUtf7(contentType?.params?.charset ?? '')) {
        text = decodeUtf7(text);
        html = decodeUtf7(html);
      }
      const body = text || html;
      resolve({
        from,
        fromAmbiguity: fromAmbiguity(rawFromHeaders, fromEntries),
        to: mailboxes(headers.get('to'), rawAddresses.to),
        cc: mailboxes(headers.get('cc'), rawAddresses.cc),
        bcc: mailboxes(headers.get('bcc'), rawAddresses.bcc),
        subject: withUtf7Words(
          ((headers.get('subject') as string | undefined) ?? '').trim(),
          rawSubject,
        ),
        date: date instanceof Date && !Number.isNaN(date.getTime()) ? date : null,
        messageId: messageIds(headers.get('message-id'))[0] ?? null,
        inReplyTo: messageIds(headers.get('in-reply-to')),
        references: messageIds(headers.get('references')),
        headers: rawHeaders,
        authenticationResults,
        contentType: (contentType?.value ?? 'text/plain').toLowerCase(),
        text: text
          ? text.slice(0, rulesTextLimit)
          : html
              .slice(0, 4 * rulesTextLimit)
              .replace(/<[^>]*>/g, ' ')
              .slice(0, rulesTextLimit),
        bodyDigest: bodyDigestOf(body),
        attachedMessage: attached,
      });
    };
    parser.on('end', () => {
      if (attachedMessage) attachedMessage.then(finish).catch(fail);
      else finish(null);
    });
    raw.pipe(parser);
  });
}
