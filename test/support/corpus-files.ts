import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository's root folder (this file is test/support/corpus-files.ts). */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * The shared corpora of real mail: CI lays a read-only copy of shared/ beside the clone. A missing
 * corpus fails the suite loudly rather than skipping it.
 */
export const corpusRoot = path.resolve(repoRoot, '..', 'shared', 'corpus');

export type CorpusFamily = 'mailparser' | 'bounces' | 'reply-quoting';

/** The files of one corpus folder with the given extension, sorted by name. */
export function corpusFiles(family: CorpusFamily, extension: '.eml' | '.txt'): string[] {
  return readdirSync(path.join(corpusRoot, family))
    .filter((name) => name.endsWith(extension))
    .sort();
}

export function corpusPath(family: CorpusFamily, file: string): string {
  return path.join(corpusRoot, family, file);
}

/**
 * The top-level Content-Type of a raw message, read from its header block without a MIME parser
 * (so a test can say what a file is independently of the code under test); `text/plain` when absent.
 */
export function topContentType(raw: Buffer): string {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const unfolded = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const header = /^content-type:\s*([^;\s]+)/im.exec(unfolded);
  return (header?.[1] ?? 'text/plain').toLowerCase();
}
