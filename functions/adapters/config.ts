import { ConfigError } from '#domain/errors.ts';

/** Configuration of the functions on AWS. Every value is required: a deployment that forgot one fails at start. */
export interface FunctionConfig {
  tableName: string;
  rawMailBucket: string;
  rawMailPrefix: string;
  mailDomain: string;
  region: string;
}

export function readFunctionConfig(env: NodeJS.ProcessEnv): FunctionConfig {
  const names = [
    'TABLE_NAME',
    'RAW_MAIL_BUCKET',
    'RAW_MAIL_PREFIX',
    'MAIL_DOMAIN',
    'AWS_REGION',
  ] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`missing environment: ${missing.join(', ')}`);
  return {
    tableName: env.TABLE_NAME as string,
    rawMailBucket: env.RAW_MAIL_BUCKET as string,
    rawMailPrefix: env.RAW_MAIL_PREFIX as string,
    mailDomain: (env.MAIL_DOMAIN as string).toLowerCase(),
    region: env.AWS_REGION as string,
  };
}
