import type { Clock } from '#domain/ports.ts';
import { ConfigError } from '#domain/errors.ts';

/**
 * The clock givefirst runs on. `system`; `fixed:<ISO time>` (time stands still); or
 * `from:<ISO time>` (time runs, starting at that moment), so an end-to-end test can move time.
 */
export function makeClock(spec: string, now: () => number = Date.now): Clock {
  if (spec === 'system') return () => new Date(now());
  const [mode, iso = ''] = spec.split(/:(.*)/s);
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new ConfigError(`clock "${spec}": expected system, fixed:<ISO> or from:<ISO>`);
  if (mode === 'fixed') return () => new Date(at);
  if (mode === 'from') {
    const offset = at - now();
    return () => new Date(now() + offset);
  }
  throw new ConfigError(`clock "${spec}": expected system, fixed:<ISO> or from:<ISO>`);
}
