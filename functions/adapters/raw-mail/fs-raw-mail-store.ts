import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import { RawMailGoneError } from '#domain/errors.ts';
import type { RawMailStore } from '#domain/ports.ts';

/** A raw mail key: `<source>/<yyyy-mm-dd of receipt, UTC>/<receipt id>.eml`. */
const dayFolder = /^\d{4}-\d\d-\d\d$/;

/**
 * Raw mail as files on disk: the local stand-in for the S3 bucket. Writes land whole or not at all:
 * a write that fails (a message cut off, a client gone) removes what it wrote.
 */
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
    const file = createWriteStream(partial);
    try {
      await pipeline(Buffer.isBuffer(raw) ? Readable.from([raw]) : raw, file);
    } catch (error) {
      // The file may still be opening when the source fails: remove it only once it is closed.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await rm(partial, { force: true });
      throw error;
    }
    await rename(partial, target);
  }

  async open(key: string): Promise<Readable> {
    const stream = createReadStream(this.#path(key));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new RawMailGoneError(key, { cause: error }) : error),
      );
    });
    return stream;
  }

  async remove(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  /**
   * Deletes raw mail as S3's lifecycle rule does in the bucket: a message received on day D is gone
   * once `retentionDays` whole days have passed after D (UTC). Whole day folders go at once, with
   * any `.partial` file a crash left in them. Returns how many day folders were removed.
   */
  async expire(now: Date, retentionDays: number): Promise<number> {
    const lastExpired = DateTime.fromJSDate(now, { zone: 'utc' })
      .minus({ days: retentionDays + 1 })
      .toISODate();
    let removed = 0;
    for (const source of await this.#folders(this.directory)) {
      for (const day of await this.#folders(path.join(this.directory, source))) {
        if (!dayFolder.test(day) || !lastExpired || day > lastExpired) continue;
        await rm(path.join(this.directory, source, day), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  async #folders(directory: string): Promise<string[]> {
    const entries = await readdir(directory, { withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }
}
