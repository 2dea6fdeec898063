#!/usr/bin/env node
// `npx givefirst`: runs the compiled CLI (dist/cli), which `npm ci` builds through `prepare`
// and `npm run build` rebuilds.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const main = new URL('dist/cli/main.js', root);
const builtAt = statSync(main, { throwIfNoEntry: false })?.mtimeMs;
if (builtAt === undefined) {
  process.stderr.write('givefirst: the CLI is not built yet: run npm run build (npm ci does it)\n');
  process.exit(1);
}
// A build older than a source it was made from would run yesterday's code: say so.
const modifiedAt = (file) =>
  statSync(new URL(file, root), { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY;
let sources = [];
try {
  sources = JSON.parse(readFileSync(new URL('dist/cli/sources.json', root), 'utf8'));
} catch {
  sources = ['dist/cli/sources.json'];
}
const changed = sources.find((file) => modifiedAt(file) > builtAt);
if (changed) {
  process.stderr.write(
    `givefirst: ${changed} changed since the CLI was built: run npm run build\n`,
  );
}
await import(main.href);
