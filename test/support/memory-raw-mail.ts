import { Readable } from 'node:stream';
import { RawMailGoneError } from '#domain/errors.ts';
import type { RawMailStore } from '#domain/ports.ts';

/** Raw mail kept in memory: tests and benchmarks that measure ingest rather than the disk. */
export class MemoryRawMail implements RawMailStore {
  readonly #items = new Map<string, Buffer>();
  async put(key: string, raw: Readable | Buffer): Promise<void> {
    if (Buffer.isBuffer(raw)) {
      this.#items.set(key, raw);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    this.#items.set(key, Buffer.concat(chunks));
  }
  async open(key: string): Promise<Readable> {
    const raw = this.#items.get(key);
    if (!raw) throw new RawMailGoneError(key);
    return Readable.from([raw]);
  }
  async remove(key: string): Promise<void> {
    this.#items.delete(key);
  }
}
