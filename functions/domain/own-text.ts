import EmailReplyParser from 'email-reply-parser';

const parser = new EmailReplyParser();

/**
 * The text the user wrote in this message: quoted replies and the signature split off.
 * Quote and signature detection is email-reply-parser's (many clients and languages).
 */
export function ownText(text: string): string {
  if (!text.trim()) return '';
  return parser.parseReply(text.replace(/\r\n/g, '\n')).trim();
}

/** "Let me know if I can help" offers something: after "let me know", these ask nothing. */
const offer = String.raw`(?! if (?:i|we) can\b| if you need\b| if there(?:'s|’s| is) anything\b)`;

/**
 * Phrases that make a message ask something even without a question mark.
 * A transparent list: extend it here and in own-text.test.ts together.
 */
export const requestPhrases: readonly RegExp[] = [
  /\b(could|can|would|will) you\b(?! not\b)/i,
  /\bwould you be (willing|able|open)\b/i,
  new RegExp(
    String.raw`\b(please|pls) (let me know${offer}|send|share|confirm|reply|get back|review|advise|check|call|forward)\b`,
    'i',
  ),
  new RegExp(String.raw`\blet me know\b${offer}`, 'i'),
  /\bget back to me\b/i,
  /\blooking forward to (hearing|your reply|your answer)\b/i,
  /\bdo you (have|know|think|want|mind)\b/i,
  /\bare you (free|available|around|able|interested)\b/i,
  /\bany (thoughts|chance|news|update)\b/i,
  /\bi('d| would) (love|like) (to hear|your|to know)\b/i,
];

/** A URL, without the sentence punctuation that may follow it ("seen https://x.com/a?"). */
const urls = /\b(?:https?:\/\/|www\.)\S*[^\s?.!,;:)\]'"]/gi;

/** Whether the user's own new text asks a question or makes a request. */
export function asksSomething(ownNewText: string): boolean {
  const text = ownNewText.replace(urls, ' ');
  if (/\?/.test(text)) return true;
  return requestPhrases.some((phrase) => phrase.test(text));
}

/** A short snippet of the user's own text, one line, for the records. */
export function snippetOf(ownNewText: string, length = 140): string {
  const line = ownNewText.replace(/\s+/g, ' ').trim();
  if (line.length <= length) return line;
  let cut = line.slice(0, length - 1);
  // Never cut an emoji (a surrogate pair) in half: a lone surrogate is not valid text.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
