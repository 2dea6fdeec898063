import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DNSResolver } from 'mailauth';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { type RunningDynalite, startDynalite } from './dynalite-server.ts';
import { type LocalConfig, localRegion } from './local-config.ts';
import { type LocalServices, makeLocalServices } from './services.ts';

export interface OpenLocalData {
  dynamo: RunningDynalite;
  services: LocalServices;
  close(): Promise<void>;
}

/**
 * Opens the data folder in this process: dynalite on its LevelDB folder (or in memory), the table,
 * and the use cases wired to them. One process at a time may hold the folder.
 */
export async function openLocalData(
  config: LocalConfig,
  options: {
    clock: Clock;
    logger: Logger;
    inMemory?: boolean;
    port?: number;
    /** The DNS sender checks run again on (functions/local/services.ts); the system's unless given. */
    resolver?: DNSResolver;
  },
): Promise<OpenLocalData> {
  await mkdir(config.dataDir, { recursive: true });
  const dynamo = await startDynalite({
    ...(options.inMemory ? {} : { path: path.join(config.dataDir, 'dynamodb') }),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const client = makeDocumentClient({ region: localRegion, endpoint: dynamo.endpoint });
  try {
    await ensureTable(client, config.tableName);
  } catch (error) {
    client.destroy();
    await dynamo.close();
    throw error;
  }
  const services = makeLocalServices({
    client,
    tableName: config.tableName,
    dataDir: config.dataDir,
    mailDomain: config.mailDomain,
    clock: options.clock,
    logger: options.logger,
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  return {
    dynamo,
    services,
    close: async () => {
      client.destroy();
      await dynamo.close();
    },
  };
}
