import type { SignalKind, Signals, Tags } from './model.ts';
import { detectSignals } from './phrases.ts';

const kinds: readonly SignalKind[] = ['promise', 'thanks', 'ask', 'gave'];

/** Evidence reads best as the whole sentence the phrase is in, not the phrase alone. */
const sentenceLimit = 100;

function sentenceAround(text: string, phrase: string): string {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).map((x) => x.trim());
  const found = sentences.find((x) => x.includes(phrase)) ?? phrase;
  const sentence = found.replace(/\s+/g, ' ');
  return sentence.length <= sentenceLimit
    ? sentence
    : `${sentence.slice(0, sentenceLimit - 1).trimEnd()}…`;
}

/**
 * The help-first signals of a message: an explicit tag always wins; otherwise the user's own new
 * text says it. A broadcast (more than 10 people) never promises or asks anything of each of them.
 */
export function signalsOf(tags: Tags, ownText: string, broadcast: boolean): Signals {
  const signals: Signals = {};
  const said = ownText ? detectSignals(ownText) : {};
  for (const kind of kinds) {
    if (broadcast && (kind === 'promise' || kind === 'ask')) continue;
    const phrase = said[kind] && sentenceAround(ownText, said[kind].phrase);
    if (tags.kinds.includes(kind)) signals[kind] = { by: 'tag' };
    else if (phrase) signals[kind] = { by: 'phrase', phrase };
  }
  return signals;
}
