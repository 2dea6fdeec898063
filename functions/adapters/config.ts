import { ConfigError } from '#domain/errors.ts';
import type { TokenKey } from '#domain/reply-token.ts';

/**
 * The one place configuration is validated: the functions' environment on AWS, and (through the
 * `parse*` validators) the CDK app's context, so a value the stack accepts is one the code accepts.
 */

/** Configuration of the ingest function on AWS. Every value is required: a deployment that forgot one fails at start. */
export interface FunctionConfig {
  tableName: string;
  rawMailBucket: string;
  rawMailPrefix: string;
  mailDomain: string;
  /** Reply commands and notes are answered from this address, in this configuration set. */
  fromAddress: string;
  configurationSet: string;
  /** The Secrets Manager secret (name or ARN) holding the reply-token keys, read at run time. */
  replyTokenKeysSecret: string;
  region: string;
}

/** The reply-token keys, ready for `makeTokens`. */
export interface ReplyTokenKeys {
  keys: TokenKey[];
  signWith: number;
}

/** Configuration of the digest functions on AWS. Every value is required, as above. */
export interface DigestConfig {
  tableName: string;
  mailDomain: string;
  /** The digest's From address, e.g. digest@example.org (a verified SES identity's domain). */
  fromAddress: string;
  /** The SES configuration set every digest is sent with (bounce and complaint events). */
  configurationSet: string;
  /** Where the unsubscribe links point: an https URL without a trailing slash. */
  publicUrl: string;
  /** The Secrets Manager secret (name or ARN) holding the reply-token keys, read at run time. */
  replyTokenKeysSecret: string;
  /** The least time between two sends of one invocation: its share of SES's send rate. */
  sesSendIntervalMs: number;
  region: string;
}

/** Configuration of the digest scheduler on AWS: the digest functions' and where it fans out. */
export interface SchedulerConfig extends DigestConfig {
  /** The SQS queue due digests go on when more are due in one run than it sends itself. */
  digestQueueUrl: string;
  /** The most digests one run sends itself (docs/deploy.md, "What one scheduler run can send"). */
  inlineDigestLimit: number;
}

/** Configuration of the one-click unsubscribe endpoint on AWS. */
export interface UnsubscribeConfig {
  tableName: string;
  replyTokenKeysSecret: string;
  region: string;
}

/** Configuration of the SES bounce/complaint handler on AWS. */
export interface SesNotificationConfig {
  tableName: string;
  region: string;
}

/** What every function that sends mail reads alike: the domain, the From address, the configuration set. */
function readSender(vars: Record<'MAIL_DOMAIN' | 'FROM_ADDRESS' | 'CONFIGURATION_SET', string>) {
  return {
    mailDomain: required('MAIL_DOMAIN', vars.MAIL_DOMAIN, parseMailDomain, 'a domain name'),
    fromAddress: required(
      'FROM_ADDRESS',
      vars.FROM_ADDRESS,
      parseEmailAddress,
      'a plain email address',
    ),
    configurationSet: vars.CONFIGURATION_SET,
  };
}

export function readFunctionConfig(env: NodeJS.ProcessEnv): FunctionConfig {
  const vars = requireEnv(env, [
    'TABLE_NAME',
    'RAW_MAIL_BUCKET',
    'RAW_MAIL_PREFIX',
    'MAIL_DOMAIN',
    'FROM_ADDRESS',
    'CONFIGURATION_SET',
    'REPLY_TOKEN_KEYS_SECRET',
    'AWS_REGION',
  ]);
  return {
    tableName: vars.TABLE_NAME,
    rawMailBucket: vars.RAW_MAIL_BUCKET,
    rawMailPrefix: vars.RAW_MAIL_PREFIX,
    ...readSender(vars),
    replyTokenKeysSecret: vars.REPLY_TOKEN_KEYS_SECRET,
    region: vars.AWS_REGION,
  };
}

export function readDigestConfig(env: NodeJS.ProcessEnv): DigestConfig {
  const vars = requireEnv(env, [
    'TABLE_NAME',
    'MAIL_DOMAIN',
    'FROM_ADDRESS',
    'CONFIGURATION_SET',
    'PUBLIC_URL',
    'REPLY_TOKEN_KEYS_SECRET',
    'SES_SEND_INTERVAL_MS',
    'AWS_REGION',
  ]);
  return {
    tableName: vars.TABLE_NAME,
    ...readSender(vars),
    publicUrl: required(
      'PUBLIC_URL',
      vars.PUBLIC_URL,
      parsePublicUrl,
      'an https URL without query or fragment',
    ),
    replyTokenKeysSecret: vars.REPLY_TOKEN_KEYS_SECRET,
    sesSendIntervalMs: wholeNumber('SES_SEND_INTERVAL_MS', vars.SES_SEND_INTERVAL_MS, 0),
    region: vars.AWS_REGION,
  };
}

export function readSchedulerConfig(env: NodeJS.ProcessEnv): SchedulerConfig {
  const vars = requireEnv(env, ['DIGEST_QUEUE_URL', 'INLINE_DIGEST_LIMIT']);
  return {
    ...readDigestConfig(env),
    digestQueueUrl: vars.DIGEST_QUEUE_URL,
    inlineDigestLimit: wholeNumber('INLINE_DIGEST_LIMIT', vars.INLINE_DIGEST_LIMIT, 1),
  };
}

function wholeNumber(name: string, value: string, least: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < least)
    throw new ConfigError(`${name}=${value} is not a whole number of at least ${least}`);
  return parsed;
}

export function readUnsubscribeConfig(env: NodeJS.ProcessEnv): UnsubscribeConfig {
  const vars = requireEnv(env, ['TABLE_NAME', 'REPLY_TOKEN_KEYS_SECRET', 'AWS_REGION']);
  return {
    tableName: vars.TABLE_NAME,
    replyTokenKeysSecret: vars.REPLY_TOKEN_KEYS_SECRET,
    region: vars.AWS_REGION,
  };
}

export function readSesNotificationConfig(env: NodeJS.ProcessEnv): SesNotificationConfig {
  const vars = requireEnv(env, ['TABLE_NAME', 'AWS_REGION']);
  return { tableName: vars.TABLE_NAME, region: vars.AWS_REGION };
}

const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const localPartPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A domain name such as in.example.org, lower-cased; undefined when the value is not one. Shared with the CDK app. */
export function parseMailDomain(value: string): string | undefined {
  const domain = value.trim().toLowerCase();
  return domainPattern.test(domain) ? domain : undefined;
}

/**
 * A plain address such as digest@example.org (no display name, no quoted local part), lower-cased;
 * undefined when the value is not one. Shared with the CDK app.
 */
export function parseEmailAddress(value: string): string | undefined {
  const address = value.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > 64) return undefined;
  const local = address.slice(0, at);
  const domain = parseMailDomain(address.slice(at + 1));
  return domain && localPartPattern.test(local) ? `${local}@${domain}` : undefined;
}

/**
 * The public URL the links in mail start with: https, no credentials, query or fragment; written
 * without a trailing slash. Undefined when the value is not one. Shared with the CDK app.
 */
export function parsePublicUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
    return undefined;
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function required(
  name: string,
  value: string,
  parse: (value: string) => string | undefined,
  what: string,
): string {
  const parsed = parse(value);
  if (!parsed) throw new ConfigError(`${name}=${value} is not ${what}`);
  return parsed;
}

function requireEnv<Name extends string>(
  env: NodeJS.ProcessEnv,
  names: readonly Name[],
): Record<Name, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`missing environment: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<
    Name,
    string
  >;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The reply-token keys as the secret holds them: JSON with a whole-number `signWith` and the keys,
 * each a base64 secret, either nested (`{"signWith":1,"keys":{"1":"…"}}`, as an operator writes
 * it) or flat (`{"signWith":1,"key1":"…"}`, as Secrets Manager generates it: it can generate one
 * top-level field only). Shape and encoding only: `makeTokens` owns the rules on ids, lengths and
 * which key signs. Errors say what is wrong, never the content (it is a secret).
 */
export function parseReplyTokenKeys(text: string): ReplyTokenKeys {
  const malformed = (what: string) =>
    new ConfigError(
      `the reply-token keys ${what}; expected {"signWith":1,"keys":{"1":"<base64 secret>"}} or {"signWith":1,"key1":"<base64 secret>"}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: it is not passed on.
    throw malformed('are not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('are not a JSON object');
  }
  const { signWith, keys, ...rest } = value as Record<string, unknown>;
  if (typeof signWith !== 'number' || !Number.isInteger(signWith)) {
    throw malformed('have no whole-number signWith');
  }
  if (keys !== undefined && (typeof keys !== 'object' || keys === null || Array.isArray(keys))) {
    throw malformed('have a keys field that is not an object');
  }
  const entries: [string, unknown][] = [
    ...Object.entries((keys ?? {}) as Record<string, unknown>),
    ...Object.entries(rest)
      .filter(([name]) => name.startsWith('key'))
      .map(([name, secret]): [string, unknown] => [name.slice('key'.length), secret]),
  ];
  if (entries.length === 0) throw malformed('list no keys');
  return {
    signWith,
    keys: entries.map(([id, secret]) => {
      if (!/^\d{1,3}$/.test(id)) throw malformed(`have a key id "${id}" that is not a number`);
      if (typeof secret !== 'string' || secret === '' || !base64.test(secret)) {
        throw malformed(`have key ${id} that is not a base64 string`);
      }
      return { id: Number(id), secret: Buffer.from(secret, 'base64') };
    }),
  };
}
