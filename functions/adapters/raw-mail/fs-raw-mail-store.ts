import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RawMailStore } from '#domain/ports.ts';

/** Raw mail as files on disk: the local stand-in for the S3 bucket. Writes land whole or not at all. */
export class FsRawMailStore implements RawMailStore {
  constructor(private readonly directory: string) {}

  #path(key: string): string {
    if (!/^[\w./-]+$/.test(key) || key.includes('..')) throw new Error(`bad raw mail key ${key}`);
    return path.join(this.directory, key);
  }

  async put(key: string, raw: Readable | Buffer): Promise<void> {
    const target = this.#path(key);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    await pipeline(Buffer.isBuffer(raw) ? Readable.from([raw]) : raw, createWriteStream(partial));
    await rename(partial, target);
  }

  async open(key: string): Promise<Readable> {
    const stream = createReadStream(this.#path(key));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }
}
