import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository's root folder (this file is test/support/corpus-files.ts). */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * The shared corpora of real mail: beside the clone in shared/corpus (CI lays a read-only copy
 * there), or wherever GIVEFIRST_CORPUS points.
 */
export const corpusRoot =
  process.env.GIVEFIRST_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');

/**
 * Whether the corpus suite runs. In CI the corpus is always there, so a missing one fails it
 * loudly; a clone elsewhere without it skips the suite, and vitest lists it as skipped.
 */
export const corpusRuns = existsSync(corpusRoot) || Boolean(process.env.CI);

export type CorpusFamily = 'mailparser' | 'bounces' | 'reply-quoting';

/** The files of one corpus folder with the given extension, sorted by name. */
export function corpusFiles(family: CorpusFamily, extension: '.eml' | '.txt'): string[] {
  if (!corpusRuns) return [];
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
