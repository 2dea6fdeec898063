import type { Outcome } from '#domain/model.ts';
import type { CommandLine } from './command-line.ts';

/** With --json, one JSON document on stdout and nothing else; otherwise the human lines. */
export function print(line: CommandLine, json: unknown, human: () => string): void {
  process.stdout.write(line.json ? `${JSON.stringify(json, null, 2)}\n` : `${human()}\n`);
}

export const outcomeLine = (label: string, o: Outcome) =>
  o.status === 'rejected'
    ? `${label}: rejected (${o.reason}): ${o.detail}`
    : `${label}: ${o.status}${o.status === 'logged' ? ` (${o.contacts} contacts, ${o.awaited} awaited)` : ''}`;
