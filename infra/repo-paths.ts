import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root, whatever the current working directory is. */
export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Absolute path of a file given relative to the repository root. */
export function fromRepoRoot(relativePath: string): string {
  return fileURLToPath(new URL(`../${relativePath}`, import.meta.url));
}
