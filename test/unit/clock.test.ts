import { describe, expect, it } from 'vitest';
import { makeClock } from '#adapters/clock.ts';
import { ConfigError } from '#domain/errors.ts';

/** A "now" the test moves by hand, in milliseconds. */
function aManualNow(startAt: string) {
  let now = Date.parse(startAt);
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const hour = 3_600_000;

describe('makeClock', () => {
  it('system follows the time it is given', () => {
    // Prepare
    const manual = aManualNow('2026-03-02T08:00:00Z');
    const clock = makeClock('system', manual.now);

    // Act
    manual.advance(hour);

    // Assess
    expect(clock().toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });

  it('fixed stands still', () => {
    // Prepare
    const manual = aManualNow('2030-01-01T00:00:00Z');
    const clock = makeClock('fixed:2026-03-02T12:00:00Z', manual.now);

    // Act
    manual.advance(5 * hour);

    // Assess
    expect(clock().toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('from starts at the moment given and runs', () => {
    // Prepare
    const manual = aManualNow('2030-01-01T00:00:00Z');
    const clock = makeClock('from:2026-03-02T12:00:00Z', manual.now);
    const first = clock().toISOString();

    // Act
    manual.advance(2 * hour);

    // Assess
    expect(first).toBe('2026-03-02T12:00:00.000Z');
    expect(clock().toISOString()).toBe('2026-03-02T14:00:00.000Z');
  });

  it('honours an offset', () => {
    // Act
    const clock = makeClock('fixed:2026-03-02T12:00:00+05:30');

    // Assess
    expect(clock().toISOString()).toBe('2026-03-02T06:30:00.000Z');
  });

  it.each([
    '',
    'System',
    'fixed',
    'fixed:',
    'fixed:yesterday',
    'fixed:1',
    'fixed:2026-03-02',
    'fixed:2026-03-02T12:00',
    'fixed:2026-13-02T12:00:00Z',
    'from:soon',
    'at:2026-03-02T12:00:00Z',
  ])('refuses the spec %j', (spec) => {
    // Act
    const make = () => makeClock(spec, () => 0);

    // Assess
    expect(make).toThrow(ConfigError);
  });
});
