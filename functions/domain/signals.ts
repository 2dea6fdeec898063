import type { SignalKind, Signals, Tags } from './model.ts';

const kinds: readonly SignalKind[] = ['promise', 'thanks', 'ask', 'gave'];

/**
 * The help-first signals of a message: an explicit tag always wins; otherwise the user's own new
 * text says it. A broadcast (more than 10 people) never promises or asks anything of each of them.
 */
export function signalsOf(tags: Tags, _ownText: string, broadcast: boolean): Signals {
  const signals: Signals = {};
  for (const kind of kinds) {
    if (broadcast && (kind === 'promise' || kind === 'ask')) continue;
    if (tags.kinds.includes(kind)) signals[kind] = { by: 'tag' };
  }
  return signals;
}
