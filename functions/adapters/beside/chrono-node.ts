import type * as Chrono from 'chrono-node';
import { besideModule } from './load-beside.ts';

/** The locales givefirst reads dates in (functions/domain/text-dates.ts). */
type Locales = Pick<typeof Chrono, 'en' | 'de' | 'fr' | 'es'>;

/**
 * chrono-node, which reads a date only when luxon's one format (English Gmail's quote attribution)
 * did not: other attributions and forward headers, an out-of-office's return date, a snooze's date.
 * A message with none of those never loads it. Built from `chrono-locales.ts`.
 */
const load = besideModule<Locales>('./beside/chrono-node.cjs');

const locale = (name: keyof Locales) => ({
  get casual() {
    return load()[name].casual;
  },
});

export const en = locale('en');
export const de = locale('de');
export const fr = locale('fr');
export const es = locale('es');
