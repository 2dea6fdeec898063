import type { ReplyWindow, TagKind, Tags } from './model.ts';

const kinds: ReadonlySet<string> = new Set<TagKind>(['fyi', 'ask', 'promise', 'gave', 'thanks']);

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const weekdayShort = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function readWindow(tag: string): ReplyWindow | null {
  const span = /^(\d{1,3})([dw])$/.exec(tag);
  if (span) {
    const n = Number(span[1]);
    if (n < 1) return null;
    return { kind: 'days', days: span[2] === 'w' ? n * 7 : n };
  }
  const bd = /^(\d{1,2})bd$/.exec(tag);
  if (bd && Number(bd[1]) > 0) return { kind: 'business-days', days: Number(bd[1]) };
  if (tag === 'tomorrow') return { kind: 'days', days: 1 };
  const index = Math.max(weekdays.indexOf(tag), weekdayShort.indexOf(tag));
  if (index >= 0) return { kind: 'weekday', weekday: index + 1, label: weekdays[index] ?? tag };
  return null;
}

/**
 * Reads the tags of a log address (`log+ask+5d@…` gives ["ask", "5d"]).
 * Case-insensitive; the last window tag wins; anything not understood is kept in `unknown`.
 */
export function parseTags(raw: string[]): Tags {
  const tags: Tags = { kinds: [], window: null, unknown: [] };
  for (const written of raw) {
    const tag = written.trim().toLowerCase();
    if (!tag) continue;
    if (kinds.has(tag)) {
      if (!tags.kinds.includes(tag as TagKind)) tags.kinds.push(tag as TagKind);
      continue;
    }
    const window = readWindow(tag);
    if (window) tags.window = window;
    else tags.unknown.push(written);
  }
  return tags;
}

/** The tags a log address understands, as a note about an unknown one lists them. */
export const knownTags =
  'fyi, ask, promise, gave, thanks, and reply windows: 3d, 2w, 5bd, tomorrow, monday…';
