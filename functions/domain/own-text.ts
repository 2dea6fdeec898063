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

/**
 * Phrases that make a message ask something even without a question mark.
 * A transparent list: extend it here and in own-text.test.ts together.
 */
export const requestPhrases: readonly RegExp[] = [
  /\b(could|can|would|will) you\b(?! not\b)/i,
  /\bwould you be (willing|able|open)\b/i,
  /\b(please|pls) (let me know|send|share|confirm|reply|get back|review|advise|check|call|forward)\b/i,
  /\blet me know\b/i,
  /\bget back to me\b/i,
  /\blooking forward to (hearing|your reply|your answer)\b/i,
  /\bdo you (have|know|think|want|mind)\b/i,
  /\bare you (free|available|around|able|interested)\b/i,
  /\bany (thoughts|chance|news|update)\b/i,
  /\bi('d| would) (love|like) (to hear|your|to know)\b/i,
];

const urls = /\b(?:https?:\/\/|www\.)\S+/gi;

/** Whether the user's own new text asks a question or makes a request. */
export function asksSomething(ownNewText: string): boolean {
  const text = ownNewText.replace(urls, ' ');
  if (/\?/.test(text)) return true;
  return requestPhrases.some((phrase) => phrase.test(text));
}

/** A short snippet of the user's own text, one line, for the records. */
export function snippetOf(ownNewText: string, length = 140): string {
  const line = ownNewText.replace(/\s+/g, ' ').trim();
  return line.length <= length ? line : `${line.slice(0, length - 1).trimEnd()}…`;
}
