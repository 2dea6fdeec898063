import '#local/quiet-sdk-warning.ts';
import { makeClock } from '#adapters/clock.ts';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { silentLogger } from '#adapters/logger.ts';
import type { IngestFailureQueue } from '#adapters/sqs/ingest-failure-queue.ts';
import type { Clock } from '#domain/ports.ts';
import { type LocalConfig, localRegion } from '#local/local-config.ts';
import { openLocalData } from '#local/local-data.ts';
import { makeLocalServices, type Services } from '#local/services.ts';
import { findRunningStack, followClock } from '#local/stack-file.ts';

export interface Connection {
  services: Services;
  clock: Clock;
  mailDomain: string;
  /**
   * Where the data lives: the running stack, this process opening the folder itself, or a
   * deployment on AWS.
   */
  via: 'running stack' | 'data folder' | 'aws';
  /** The local data folder; null on AWS. */
  dataDir: string | null;
  /** The SES emulator of the running stack, where digests are sent; null without one. */
  sesEndpoint: string | null;
  /** Where links in digests point: the running stack's web listener. */
  publicUrl: string | null;
  /** Where ingest events that failed every retry wait (on AWS); null locally, where none do. */
  ingestFailures: IngestFailureQueue | null;
  close(): Promise<void>;
}

/**
 * The CLI's way in. dynalite's folder belongs to one process: when `npm start` is running,
 * the CLI talks to its endpoint and runs on its clock; otherwise it opens the folder itself for
 * the one command, on GIVEFIRST_CLOCK.
 */
export async function connect(
  config: LocalConfig,
  options: { warn: (message: string) => void },
): Promise<Connection> {
  const running = await findRunningStack(config.dataDir);
  if (running) {
    // A stack started before it said which clock it runs on is taken to run on this one's.
    const clock = running.clock ? followClock(running.clock) : makeClock(config.clock);
    if (running.clock && config.clock !== 'system' && config.clock !== running.clock.setting) {
      options.warn(
        `GIVEFIRST_CLOCK=${config.clock} is not used: the running stack's clock is ${running.clock.setting} (now ${clock().toISOString()})`,
      );
    }
    const client = makeDocumentClient({ region: localRegion, endpoint: running.dynamoEndpoint });
    const services = makeLocalServices({
      client,
      tableName: config.tableName,
      dataDir: config.dataDir,
      mailDomain: running.mailDomain,
      clock,
      logger: silentLogger,
    });
    return {
      services,
      clock,
      mailDomain: running.mailDomain,
      via: 'running stack',
      dataDir: config.dataDir,
      sesEndpoint: running.sesEndpoint,
      publicUrl: running.publicUrl,
      ingestFailures: null,
      close: async () => client.destroy(),
    };
  }
  const clock = makeClock(config.clock);
  const data = await openLocalData(config, { clock, logger: silentLogger });
  return {
    services: data.services,
    clock,
    mailDomain: config.mailDomain,
    via: 'data folder',
    dataDir: config.dataDir,
    sesEndpoint: null,
    publicUrl: config.publicUrl,
    ingestFailures: null,
    close: data.close,
  };
}
