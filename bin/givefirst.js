#!/usr/bin/env node
// `npx givefirst`: runs the compiled CLI (dist/cli), which `npm ci` builds through `prepare`
// and `npm run build` rebuilds.
import { existsSync, readFileSync, statSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('givefirst: the CLI is not built yet: run npm run build (npm ci does it)\n');
  process.exit(1);
}
// A build older than a source it was made from would run yesterday's code: say so.
const builtAt = statSync(main).mtimeMs;
const root = new URL('../', import.meta.url);
const sources = JSON.parse(
  readFileSync(new URL('../dist/cli/sources.json', import.meta.url), 'utf8'),
);
const changed = sources.find(
  (file) =>
    (statSync(new URL(file, root), { throwIfNoEntry: false })?.mtimeMs ??
      Number.POSITIVE_INFINITY) > builtAt,
);
if (changed) {
  process.stderr.write(
    `givefirst: ${changed} changed since the CLI was built: run npm run build\n`,
  );
}
await import(main.href);
