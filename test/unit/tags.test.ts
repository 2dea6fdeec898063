import { describe, expect, it } from 'vitest';
import type { ReplyWindow } from '#domain/model.ts';
import { parseTags } from '#domain/tags.ts';

describe('parseTags', () => {
  it.each(['fyi', 'ask', 'promise', 'gave', 'thanks'] as const)('reads the kind %s', (kind) => {
    // Act
    const tags = parseTags([kind]);

    // Assess
    expect(tags).toEqual({ kinds: [kind], window: null, unknown: [] });
  });

  it('reads tags whatever their case', () => {
    // Act
    const tags = parseTags(['ASK', 'Thanks', '5D', 'Monday']);

    // Assess
    expect(tags.kinds).toEqual(['ask', 'thanks']);
    expect(tags.window).toEqual({ kind: 'weekday', weekday: 1, label: 'monday' });
    expect(tags.unknown).toEqual([]);
  });

  it('keeps a kind once when it is written twice', () => {
    // Act
    const tags = parseTags(['ask', 'ASK']);

    // Assess
    expect(tags.kinds).toEqual(['ask']);
  });

  it.each<[string, ReplyWindow]>([
    ['3d', { kind: 'days', days: 3 }],
    ['1d', { kind: 'days', days: 1 }],
    ['2w', { kind: 'days', days: 14 }],
    ['tomorrow', { kind: 'days', days: 1 }],
    ['5bd', { kind: 'business-days', days: 5 }],
    ['monday', { kind: 'weekday', weekday: 1, label: 'monday' }],
    ['mon', { kind: 'weekday', weekday: 1, label: 'monday' }],
    ['tue', { kind: 'weekday', weekday: 2, label: 'tuesday' }],
    ['wednesday', { kind: 'weekday', weekday: 3, label: 'wednesday' }],
    ['thu', { kind: 'weekday', weekday: 4, label: 'thursday' }],
    ['Fri', { kind: 'weekday', weekday: 5, label: 'friday' }],
    ['sat', { kind: 'weekday', weekday: 6, label: 'saturday' }],
    ['sunday', { kind: 'weekday', weekday: 7, label: 'sunday' }],
  ])('reads the window %s', (written, window) => {
    // Act
    const tags = parseTags([written]);

    // Assess
    expect(tags.window).toEqual(window);
    expect(tags.unknown).toEqual([]);
  });

  it('lets the last window win', () => {
    // Act
    const tags = parseTags(['3d', 'ask', '1w']);

    // Assess
    expect(tags.window).toEqual({ kind: 'days', days: 7 });
    expect(tags.kinds).toEqual(['ask']);
  });

  it.each(['Urgent', '0d', '0bd', '1000d', '3x', 'd3', 'next-week'])(
    'keeps the tag %s it does not understand, as written',
    (written) => {
      // Act
      const tags = parseTags(['ask', written]);

      // Assess
      expect(tags.unknown).toEqual([written]);
      expect(tags.kinds).toEqual(['ask']);
      expect(tags.window).toBeNull();
    },
  );

  it('ignores empty parts, as in log++ask+', () => {
    // Act
    const tags = parseTags(['', 'ask', '', ' ']);

    // Assess
    expect(tags).toEqual({ kinds: ['ask'], window: null, unknown: [] });
  });

  it('combines kinds, a window and unknown tags', () => {
    // Act
    const tags = parseTags(['promise', 'gave', '2w', 'soon']);

    // Assess
    expect(tags).toEqual({
      kinds: ['promise', 'gave'],
      window: { kind: 'days', days: 14 },
      unknown: ['soon'],
    });
  });

  it('reads no tags as none', () => {
    // Act
    const tags = parseTags([]);

    // Assess
    expect(tags).toEqual({ kinds: [], window: null, unknown: [] });
  });
});
