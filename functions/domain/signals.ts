import type { SignalKind, Signals, Tags } from './model.ts';
import { detectSignals } from './phrases.ts';

const kinds: readonly SignalKind[] = ['promise', 'thanks', 'ask', 'gave'];

/**
 * The help-first signals of a message: an explicit tag always wins; otherwise the user's own new
 * text says it. A broadcast (more than 10 people) never promises or asks anything of each of them.
 */
export function signalsOf(tags: Tags, ownText: string, broadcast: boolean): Signals {
  const signals: Signals = {};
  const said = ownText ? detectSignals(ownText) : {};
  for (const kind of kinds) {
    if (broadcast && (kind === 'promise' || kind === 'ask')) continue;
    const phrase = said[kind]?.phrase;
    if (tags.kinds.includes(kind)) signals[kind] = { by: 'tag' };
    else if (phrase) signals[kind] = { by: 'phrase', phrase };
  }
  return signals;
}
