import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { MailParser } from 'mailparser';
import type { Outcome } from '#domain/model.ts';

export const MB = 1024 * 1024;

export interface LargeMessageOptions {
  /** Size of the whole message on disk, in bytes (met to within one base64 line). */
  totalBytes: number;
  messageId: string;
  to?: string;
  subject?: string;
  /**
   * attachments (the default): text, HTML and three base64 attachments, as described at
   * largeMessageChunks. long-text: one text/plain body of the whole size, as a pasted log or a
   * long quoted thread makes; no attachment at all.
   */
  shape?: 'attachments' | 'long-text';
}

/** What a generated message holds, so a test can say what it should have been parsed into. */
export interface LargeMessage {
  path: string;
  bytes: number;
  messageId: string;
  contact: string;
}

const contactAddress = 'alice@partner.example';
const boundaries = { mixed: 'gf-mixed-7d1c', alternative: 'gf-alt-3b9e', related: 'gf-rel-51a0' };

/** Base64 line length in MIME, and the raw bytes that make one such line. */
const lineChars = 76;
const lineRaw = 57;
const linesPerChunk = 1024;

/** Bytes an encoded body of `rawBytes` takes on the wire: 76-char lines, CRLF after each. */
const encodedSize = (rawBytes: number) => {
  const chars = Math.ceil(rawBytes / 3) * 4;
  return chars + Math.ceil(chars / lineChars) * 2;
};

/** The raw size whose encoding takes about `encodedBytes` (whole lines, at least one). */
const rawSizeFor = (encodedBytes: number) =>
  Math.max(1, Math.floor(encodedBytes / (lineChars + 2))) * lineRaw;

/**
 * Random-looking bytes, produced a chunk at a time: an AES-CTR keystream with a fixed key, so
 * the same seed gives the same file (benchmarks compare like with like) and nothing compresses.
 */
function* keystream(rawBytes: number, seed: number): Generator<Buffer> {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(seed, 0);
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), iv);
  const zeros = Buffer.alloc(lineRaw * linesPerChunk);
  for (let left = rawBytes; left > 0; left -= zeros.length) {
    yield cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
  }
}

/** A base64 body in 76-character CRLF lines, streamed from `rawBytes` random-looking bytes. */
function* base64Lines(rawBytes: number, seed: number): Generator<string> {
  for (const chunk of keystream(rawBytes, seed)) {
    // Each chunk is a whole number of 57-byte lines (the last may be short), so lines never span.
    const encoded = chunk.toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < encoded.length; i += lineChars) lines.push(encoded.slice(i, i + lineChars));
    yield `${lines.join('\r\n')}\r\n`;
  }
}

const paragraph =
  'Here are the signed contract and the photo archive from the offsite, as promised. The ' +
  'contract is the final version with the changes from Tuesday; the archive has everything ' +
  'from both days, sorted by session. ';

function htmlBody(bytes: number): string {
  const open = '<html><body><p>Hi Alice,</p>\r\n';
  const close = '<p>Could you have a look before Friday?</p><p>Best,<br>Me</p></body></html>\r\n';
  const para = `<p>${paragraph}</p>\r\n`;
  const count = Math.max(1, Math.floor((bytes - open.length - close.length) / para.length));
  return open + para.repeat(count) + close;
}

const textBody = [
  'Hi Alice,',
  '',
  paragraph,
  '',
  'Could you have a look before Friday?',
  '',
  'Best,',
  'Me',
  '',
].join('\r\n');

/**
 * A large message as a mail client sends it, streamed a chunk at a time (it is never whole in
 * memory): multipart/mixed of
 *   multipart/alternative [ text/plain, multipart/related [ text/html, inline image ] ],
 *   a PDF attachment (62.5% of the size) and a zip attachment (25%),
 * all base64 in 76-character lines; the inline image takes whatever is left to reach the size.
 */
export async function* largeMessageChunks(options: LargeMessageOptions): AsyncGenerator<string> {
  const { totalBytes, messageId } = options;
  const to = options.to ?? `Alice Example <${contactAddress}>`;
  const html = htmlBody(Math.min(256 * 1024, Math.floor(totalBytes / 40)));

  const headers = [
    'From: Me <me@example.com>',
    `To: ${to}`,
    `Subject: ${options.subject ?? 'Contract and offsite photos'}`,
    'Date: Mon, 2 Mar 2026 10:15:00 +0100',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundaries.mixed}"`,
    '',
    'This is a multi-part message in MIME format.',
    '',
  ].join('\r\n');
  const part = (boundary: string, lines: string[]) =>
    `--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`;
  const before = [
    headers,
    part(boundaries.mixed, [
      `Content-Type: multipart/alternative; boundary="${boundaries.alternative}"`,
    ]),
    part(boundaries.alternative, [
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]),
    textBody,
    part(boundaries.alternative, [
      `Content-Type: multipart/related; boundary="${boundaries.related}"`,
    ]),
    part(boundaries.related, [
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]),
    html,
  ].join('');
  const imageHeaders = part(boundaries.related, [
    'Content-Type: image/png; name="offsite.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <offsite.png@mail.example.com>',
    'Content-Disposition: inline; filename="offsite.png"',
  ]);
  const afterImage = `--${boundaries.related}--\r\n\r\n--${boundaries.alternative}--\r\n\r\n`;
  const pdfHeaders = part(boundaries.mixed, [
    'Content-Type: application/pdf; name="contract.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="contract.pdf"',
  ]);
  const zipHeaders = part(boundaries.mixed, [
    'Content-Type: application/zip; name="offsite-photos.zip"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="offsite-photos.zip"',
  ]);
  const end = `--${boundaries.mixed}--\r\n`;

  const pdfRaw = rawSizeFor(totalBytes * 0.625);
  const zipRaw = rawSizeFor(totalBytes * 0.25);
  const fixed =
    Buffer.byteLength(before) +
    imageHeaders.length +
    afterImage.length +
    pdfHeaders.length +
    zipHeaders.length +
    end.length +
    encodedSize(pdfRaw) +
    encodedSize(zipRaw);
  const imageRaw = rawSizeFor(totalBytes - fixed);

  yield before;
  yield imageHeaders;
  yield* base64Lines(imageRaw, 1);
  yield afterImage;
  yield pdfHeaders;
  yield* base64Lines(pdfRaw, 2);
  yield zipHeaders;
  yield* base64Lines(zipRaw, 3);
  yield end;
}

/** A message whose single text/plain body takes (about) the whole size. */
export async function* longTextMessageChunks(options: LargeMessageOptions): AsyncGenerator<string> {
  yield [
    'From: Me <me@example.com>',
    `To: ${options.to ?? `Alice Example <${contactAddress}>`}`,
    `Subject: ${options.subject ?? 'Notes from the offsite'}`,
    'Date: Mon, 2 Mar 2026 10:15:00 +0100',
    `Message-ID: ${options.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    textBody,
  ].join('\r\n');
  const line = `> ${paragraph}\r\n`;
  const lines = 1024;
  for (let left = options.totalBytes - 1024; left > 0; left -= line.length * lines) {
    yield line.repeat(Math.max(1, Math.min(lines, Math.floor(left / line.length))));
  }
}

/** Writes a large message to `path`, streaming, and says what it holds. */
export async function writeLargeMessage(
  path: string,
  options: LargeMessageOptions,
): Promise<LargeMessage> {
  let bytes = 0;
  const counted = async function* () {
    const chunks =
      options.shape === 'long-text' ? longTextMessageChunks(options) : largeMessageChunks(options);
    for await (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  };
  await pipeline(Readable.from(counted()), createWriteStream(path));
  return { path, bytes, messageId: options.messageId, contact: contactAddress };
}

/**
 * The floor ingest is measured against: mailparser's streaming parser piped straight from the
 * file, with ingest's options, attachments drained as they pass and nothing else kept.
 */
export function bareParse(path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true });
    parser.on('data', (data: { type: string; content?: Readable; release?: () => void }) => {
      if (data.type !== 'attachment') return;
      data.content?.on('end', () => data.release?.());
      data.content?.resume();
    });
    parser.on('error', reject);
    parser.on('end', () => resolve());
    const file = createReadStream(path);
    file.on('error', reject);
    file.pipe(parser);
  });
}

/**
 * The same file parsed by postal-mime, a parser measured as an alternative to mailparser (the
 * bundle bench weighs its load): it reads the whole message into memory before parsing, and hands
 * back each attachment's content whole.
 */
export async function postalMimeParse(path: string): Promise<void> {
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(
    Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
  );
  if (!email.messageId) throw new Error('postal-mime read no Message-ID');
}

/** What the worker reports, in bytes; peak is the process's whole-life maximum resident set. */
export interface LargeMailRun {
  mode: WorkerMode;
  outcome?: Outcome;
  contacts?: string[];
  baselineRssBytes: number;
  peakRssBytes: number;
  elapsedMs: number;
}

export type WorkerMode = 'ingest' | 'parse' | 'postal-mime';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const workerPath = fileURLToPath(new URL('./large-mail-worker.ts', import.meta.url));

/**
 * Runs the worker on the message at `path` in a fresh node process (its own peak RSS, nothing
 * left over from the caller), with `--expose-gc` so the baseline is taken after a collection.
 */
export async function runLargeMailWorker(mode: WorkerMode, path: string): Promise<LargeMailRun> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', workerPath, mode, path],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(
      `large-mail worker (${mode}) exited ${code}: ${stderr.trim() || stdout.trim()}`,
    );
  }
  return JSON.parse(last) as LargeMailRun;
}
