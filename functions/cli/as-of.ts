import { parseMoment } from '#adapters/clock.ts';
import { UsageError } from './command-line.ts';

/** --as-of: the moment a view is computed at, with a date, a time and a zone (as GIVEFIRST_CLOCK). */
export function readAsOf(text: string): Date {
  const moment = parseMoment(text);
  if (moment) return moment;
  // The example keeps what was right in what was typed: its date, its time.
  const typedDate = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
  const date = typedDate && parseMoment(`${typedDate}T00:00Z`) ? typedDate : '2026-03-05';
  const typedTime = /T\d{2}:\d{2}(?::\d{2})?/i.exec(text)?.[0]?.toUpperCase();
  const time = typedTime && parseMoment(`2026-03-05${typedTime}Z`) ? typedTime : 'T09:00:00';
  throw new UsageError(
    `--as-of "${text}" is not a moment: it takes an ISO time with a date, a time and a zone`,
    `for example --as-of ${date}${time}Z (UTC) or --as-of ${date}${time}+01:00`,
  );
}
