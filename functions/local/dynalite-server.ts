import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { Level } from 'level';
import { keepIdleConnections } from './loopback-server.ts';

/** The data folder is held by another process (LevelDB allows one at a time). */
export class DataFolderBusyError extends Error {
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`the data folder ${path} is open in another process`, options);
    this.name = 'DataFolderBusyError';
  }
}

/**
 * dynalite opens its LevelDB folder lazily and throws from a callback when another process holds
 * it; opening it here first turns that into an error a caller can answer.
 */
async function ensureFolderFree(path: string): Promise<void> {
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    throw new DataFolderBusyError(path, { cause: error });
  } finally {
    await probe.close().catch(() => undefined);
  }
}

export interface RunningDynalite {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite: the DynamoDB API on loopback, in memory or persisted in a LevelDB folder
 * (which one process owns at a time).
 */
export async function startDynalite(
  options: { path?: string; port?: number } = {},
): Promise<RunningDynalite> {
  if (options.path) await ensureFolderFree(options.path);
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
