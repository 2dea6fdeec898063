import { createRequire } from 'node:module';

/**
 * A module the ingest bundle keeps beside itself (`file` is `./beside/<name>.cjs`, written out so
 * that the build finds it named in the bundle) and loads on first use:
 * dependencies a plain logged message never needs (HTML to text, Japanese charsets, the public
 * suffix list, the MIME composer of answers with files). Only the bundles use this, through the
 * aliases in infra/constructs/givefirst-function.ts (`besideModules`), which also build the files;
 * run from the sources, the packages are imported as they are.
 */
export function besideModule<T>(file: string): () => T {
  const requireBeside = createRequire(import.meta.url);
  let loaded: T | undefined;
  return () => {
    loaded ??= requireBeside(file) as T;
    return loaded;
  };
}
