import type { Tags } from '#domain/model.ts';

/** The tags of a log address; none unless told. */
export function someTags(overrides: Partial<Tags> = {}): Tags {
  return { kinds: [], window: null, unknown: [], ...overrides };
}
