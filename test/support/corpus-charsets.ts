import iconv from 'iconv-lite';

/**
 * Raw message bytes in the charsets real mail still arrives in, for tests that build messages in
 * code: iconv-lite for the charsets it has, ISO-2022-JP by hand.
 */

/**
 * ISO-2022-JP: ASCII as is, each run of Japanese as JIS X 0208 (EUC-JP with the high bit cleared)
 * between `ESC $ B` and `ESC ( B`.
 */
export function iso2022jp(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const run of text.match(/[\p{ASCII}]+|[^\p{ASCII}]+/gu) ?? []) {
    if (/^[\p{ASCII}]+$/u.test(run)) {
      parts.push(Buffer.from(run, 'ascii'));
      continue;
    }
    const jis = Buffer.from(iconv.encode(run, 'euc-jp').map((byte) => byte & 0x7f));
    parts.push(Buffer.from('\x1b$B', 'latin1'), jis, Buffer.from('\x1b(B', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** Text in a charset: ISO-2022-JP by hand, the rest through iconv-lite. */
export function encodeText(text: string, charset: string): Buffer {
  return charset.toLowerCase() === 'iso-2022-jp' ? iso2022jp(text) : iconv.encode(text, charset);
}

/** An RFC 2047 encoded-word: `B` (base64) or `Q` (every byte outside letters and digits as =XX). */
export function encodedWord(text: string, charset: string, encoding: 'B' | 'Q' = 'B'): string {
  const bytes = encodeText(text, charset);
  if (encoding === 'B') return `=?${charset}?B?${bytes.toString('base64')}?=`;
  const q = [...bytes]
    .map((byte) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `=?${charset}?Q?${q}?=`;
}

/**
 * A raw message from header lines and a body, CRLF throughout. A header given as a string is
 * written as UTF-8 (undeclared 8-bit when it is not ASCII); a Buffer is written as it is.
 */
export function rawMessageBytes(headers: (string | Buffer)[], body: string | Buffer): Buffer {
  const crlf = Buffer.from('\r\n');
  return Buffer.concat([
    ...headers.flatMap((header) => [Buffer.isBuffer(header) ? header : Buffer.from(header), crlf]),
    crlf,
    Buffer.isBuffer(body) ? body : Buffer.from(body.replace(/\r?\n/g, '\r\n')),
  ]);
}
