import { besideModule } from './load-beside.ts';

/** encoding-japanese, of which libmime calls only `convert`, for the Japanese charsets iconv-lite lacks. */
const load = besideModule<{ convert: (...args: unknown[]) => unknown }>(
  './beside/encoding-japanese.cjs',
);

export default { convert: (...args: unknown[]) => load().convert(...args) };
