import path from 'node:path';
import { ConfigError } from '#domain/errors.ts';

/**
 * The local stack's settings. Every one has a local default, and the startup banner prints
 * them all, so nothing differs silently; GIVEFIRST_* variables override them.
 */
export interface LocalConfig {
  mailDomain: string;
  dataDir: string;
  tableName: string;
  smtpHost: string;
  smtpPort: number;
  dynamoPort: number;
  sesPort: number;
  clock: string;
  relaxedAuth: boolean;
  /** How often the digest scheduler runs; 0 turns it off. */
  schedulerSeconds: number;
  /** The web listener (one-click unsubscribe). */
  httpPort: number;
  /** Where links in digests point; by default the web listener's own address. */
  publicUrl: string | null;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name}=${raw} is not a port number`);
  }
  return value;
}

export function readLocalConfig(
  env: NodeJS.ProcessEnv,
  options: { relaxedAuth?: boolean } = {},
): LocalConfig {
  const mailDomain = (env.GIVEFIRST_MAIL_DOMAIN ?? 'in.givefirst.localhost').toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(mailDomain)) {
    throw new ConfigError(`GIVEFIRST_MAIL_DOMAIN=${mailDomain} is not a domain name`);
  }
  return {
    mailDomain,
    dataDir: path.resolve(env.GIVEFIRST_DATA_DIR ?? '.givefirst'),
    tableName: 'givefirst',
    smtpHost: env.GIVEFIRST_SMTP_HOST ?? '127.0.0.1',
    smtpPort: port(env, 'GIVEFIRST_SMTP_PORT', 2525),
    dynamoPort: port(env, 'GIVEFIRST_DYNAMO_PORT', 4567),
    sesPort: port(env, 'GIVEFIRST_SES_PORT', 8005),
    clock: env.GIVEFIRST_CLOCK ?? 'system',
    relaxedAuth: options.relaxedAuth ?? env.GIVEFIRST_RELAXED_AUTH === '1',
    schedulerSeconds: port(env, 'GIVEFIRST_SCHEDULER_SECONDS', 60),
    httpPort: port(env, 'GIVEFIRST_HTTP_PORT', 2580),
    publicUrl: env.GIVEFIRST_PUBLIC_URL ?? null,
  };
}

/** AWS SDK clients need a region even against local servers. */
export const localRegion = 'local';
