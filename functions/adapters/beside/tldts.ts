import type * as Tldts from 'tldts';
import { besideModule } from './load-beside.ts';

/**
 * tldts, for the organisational domain of a DKIM signer that must be aligned with the From domain:
 * read only when DMARC did not already pass for that very domain.
 */
const load = besideModule<typeof Tldts>('./beside/tldts.cjs');

export const getDomain: typeof Tldts.getDomain = (url, options) => load().getDomain(url, options);
