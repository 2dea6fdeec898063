import type { Logger } from '#domain/ports.ts';

type Level = 'info' | 'warn' | 'error';

/** Structured logs: one JSON object a line on stderr. Never an email body, never a header block. */
export function makeLogger(
  base: Record<string, unknown> = {},
  options: { silent?: boolean } = {},
): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (options.silent) return;
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...fields })}\n`,
    );
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = makeLogger({}, { silent: true });
