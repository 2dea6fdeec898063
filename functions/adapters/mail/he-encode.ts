/**
 * `he.encode` with its default options, the only part of the `he` package mailparser calls (for the
 * HTML forms of addresses and headers, which givefirst never reads). The bundles use this in its
 * place (see bundleAliases in infra/constructs/givefirst-function.ts): `he` carries every named
 * HTML entity both ways, about 70 KB of the ingest bundle. Same output as he 1.2.0, checked
 * against it in test/unit/he-encode.test.ts.
 */

const astralSymbols = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
const bmpOutsidePrintableAscii = /[\x01-\t\x0B\f\x0E-\x1F\x7F\x81\x8D\x8F\x90\x9D\xA0-\uFFFF]/g;
const unsafeSymbols = /["&'<>`]/g;

const hexEscape = (codePoint: number) => `&#x${codePoint.toString(16).toUpperCase()};`;
const escapeBmpSymbol = (symbol: string) => hexEscape(symbol.charCodeAt(0));

export function encode(text: string): string {
  return text
    .replace(unsafeSymbols, escapeBmpSymbol)
    .replace(astralSymbols, (pair) => {
      const high = pair.charCodeAt(0);
      const low = pair.charCodeAt(1);
      return hexEscape((high - 0xd800) * 0x400 + low - 0xdc00 + 0x10000);
    })
    .replace(bmpOutsidePrintableAscii, escapeBmpSymbol);
}

export default { encode };
