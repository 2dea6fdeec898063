import { describe, expect, it } from 'vitest';
import { awaitedState } from '#domain/awaited-state.ts';

describe('awaitedState', () => {
  it.each([
    ['the evening before, in Berlin', 'Europe/Berlin', '2026-03-08T22:59:59Z', 'waiting'],
    ['midnight of the due day, in Berlin', 'Europe/Berlin', '2026-03-08T23:00:00Z', 'due'],
    [
      'the evening before, in New York (EDT)',
      'America/New_York',
      '2026-03-09T03:59:59Z',
      'waiting',
    ],
    [
      'midnight of the due day, in New York (EDT)',
      'America/New_York',
      '2026-03-09T04:00:00Z',
      'due',
    ],
    ['days later', 'UTC', '2026-03-20T12:00:00Z', 'due'],
    ['days earlier', 'UTC', '2026-03-02T12:00:00Z', 'waiting'],
  ])('is judged on the local calendar: %s', (_, zone, now, state) => {
    // Act
    const judged = awaitedState('2026-03-09', zone, new Date(now));

    // Assess
    expect(judged).toBe(state);
  });
});
