// `npm run build` (also run by `npm ci` and `npm install`, as `prepare`): compiles the CLI to
// dist/cli, so `npx givefirst` starts in plain Node without transpiling TypeScript.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist', 'cli');

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['functions/cli/main.ts'],
  outdir,
  bundle: true,
  // One chunk per command, loaded by its dynamic import(): `--help` reads no more than it needs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // LevelDB's native binding (classic-level) is found relative to its package, and dynalite
  // loads its actions by name: they stay in node_modules.
  external: ['dynalite', 'level', 'classic-level'],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// The sources it was built from, so the bin can tell when the build is older than them.
const sources = Object.keys(result.metafile.inputs).filter((file) => file.startsWith('functions/'));
await writeFile(path.join(outdir, 'sources.json'), `${JSON.stringify(sources)}\n`);
