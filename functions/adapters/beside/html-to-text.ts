import { besideModule } from './load-beside.ts';

/** What mailparser calls of html-to-text (which ships no types): the text of an HTML part. */
type HtmlToText = (html: string, options?: Record<string, unknown>) => string;

/** html-to-text, which mailparser calls only for a message without a text part. */
const load = besideModule<{ htmlToText: HtmlToText }>('./beside/html-to-text.cjs');

export const htmlToText: HtmlToText = (html, options) => load().htmlToText(html, options);
