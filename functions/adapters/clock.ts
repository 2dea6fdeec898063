import { DateTime } from 'luxon';
import { ConfigError } from '#domain/errors.ts';
import type { Clock } from '#domain/ports.ts';

/**
 * An ISO 8601 moment with a time and an explicit offset (`2026-03-02T08:00:00+01:00`, `…Z`), or
 * undefined: a moment never depends on the machine's zone.
 */
export function parseMoment(iso: string): Date | undefined {
  const moment = DateTime.fromISO(iso, { setZone: true });
  if (!moment.isValid || !/T.*(?:Z|[+-]\d\d(?::?\d\d)?)$/i.test(iso)) return undefined;
  return moment.toJSDate();
}

function readMoment(spec: string, iso: string): number {
  const moment = parseMoment(iso);
  if (!moment) {
    throw new ConfigError(
      `clock "${spec}": expected system, fixed:<ISO> or from:<ISO>, with a zone (e.g. fixed:2026-03-02T08:00:00Z)`,
    );
  }
  return moment.getTime();
}

/**
 * The clock givefirst runs on. `system`; `fixed:<ISO time>` (time stands still); or
 * `from:<ISO time>` (time runs, starting at that moment), so an end-to-end test can move time.
 */
export function makeClock(spec: string, now: () => number = Date.now): Clock {
  if (spec === 'system') return () => new Date(now());
  const [mode, iso = ''] = spec.split(/:(.*)/s);
  if (mode !== 'fixed' && mode !== 'from') {
    throw new ConfigError(`clock "${spec}": expected system, fixed:<ISO> or from:<ISO>`);
  }
  const at = readMoment(spec, iso);
  if (mode === 'fixed') return () => new Date(at);
  const offset = at - now();
  return () => new Date(now() + offset);
}
