/**
 * What mailparser asks of linkify-it, for bundles that never turn text into HTML. mailparser sets up
 * one linkifier when it loads (the whole TLD list, two more schemes, a handler for @mentions: about
 * 10 ms of a cold start and 37 KB of the ingest bundle with the TLD list) and uses it only in
 * `textToHtml`, which returns at once under `skipTextToHtml` (mailParserOptions in parse-mail.ts).
 * The bundles use this module in place of linkify-it and of the `tlds` package, whose list
 * mailparser only hands to the linkifier (see bundleAliases in infra/constructs/givefirst-function.ts):
 * it takes the setup and refuses to link anything, so a change that reads HTML made from text fails
 * loudly.
 */
class UnusedLinkify {
  tlds(): this {
    return this;
  }
  add(): this {
    return this;
  }
  set(): this {
    return this;
  }
  pretest(): never {
    throw new Error('linkify-it is left out of the bundles: parse mail with skipTextToHtml');
  }
  test(): never {
    return this.pretest();
  }
  match(): never {
    return this.pretest();
  }
}

export default function linkifyIt(): UnusedLinkify {
  return new UnusedLinkify();
}
