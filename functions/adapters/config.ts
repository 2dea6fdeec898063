import { ConfigError } from '#domain/errors.ts';
import type { TokenKey } from '#domain/reply-token.ts';

/** Configuration of the functions on AWS. Every value is required: a deployment that forgot one fails at start. */
export interface FunctionConfig {
  tableName: string;
  rawMailBucket: string;
  rawMailPrefix: string;
  mailDomain: string;
  /** The reply-token keys: reply commands read them, their answers are signed with them. */
  replyTokenKeys: { keys: TokenKey[]; signWith: number };
  region: string;
}

/** Configuration of the digest scheduler on AWS. Every value is required, as above. */
export interface DigestConfig {
  tableName: string;
  mailDomain: string;
  /** Where the unsubscribe links point: an https URL without a trailing slash. */
  publicUrl: string;
  /** The reply-token keys, ready for `makeTokens`. */
  replyTokenKeys: { keys: TokenKey[]; signWith: number };
  region: string;
}

export function readFunctionConfig(env: NodeJS.ProcessEnv): FunctionConfig {
  const vars = requireEnv(env, [
    'TABLE_NAME',
    'RAW_MAIL_BUCKET',
    'RAW_MAIL_PREFIX',
    'MAIL_DOMAIN',
    'REPLY_TOKEN_KEYS',
    'AWS_REGION',
  ]);
  return {
    tableName: vars.TABLE_NAME,
    rawMailBucket: vars.RAW_MAIL_BUCKET,
    rawMailPrefix: vars.RAW_MAIL_PREFIX,
    mailDomain: vars.MAIL_DOMAIN.toLowerCase(),
    replyTokenKeys: parseReplyTokenKeys(vars.REPLY_TOKEN_KEYS),
    region: vars.AWS_REGION,
  };
}

/**
 * REPLY_TOKEN_KEYS is JSON: `{"signWith":1,"keys":{"1":"<base64 secret>"}}`. Its errors name the
 * variable and what is wrong, never its content (it is a secret).
 */
export function readDigestConfig(env: NodeJS.ProcessEnv): DigestConfig {
  const vars = requireEnv(env, [
    'TABLE_NAME',
    'MAIL_DOMAIN',
    'PUBLIC_URL',
    'REPLY_TOKEN_KEYS',
    'AWS_REGION',
  ]);
  const publicUrl = parsePublicUrl(vars.PUBLIC_URL);
  if (!publicUrl) {
    throw new ConfigError(
      `PUBLIC_URL=${vars.PUBLIC_URL} is not an https URL without query or fragment`,
    );
  }
  return {
    tableName: vars.TABLE_NAME,
    mailDomain: vars.MAIL_DOMAIN.toLowerCase(),
    publicUrl,
    replyTokenKeys: parseReplyTokenKeys(vars.REPLY_TOKEN_KEYS),
    region: vars.AWS_REGION,
  };
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

/** Shape and encoding only: `makeTokens` owns the rules on ids, lengths and which key signs. */
function parseReplyTokenKeys(text: string): DigestConfig['replyTokenKeys'] {
  const malformed = (what: string) =>
    new ConfigError(
      `REPLY_TOKEN_KEYS ${what}; expected {"signWith":1,"keys":{"1":"<base64 secret>"}}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: it is not passed on.
    throw malformed('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('is not a JSON object');
  }
  const { signWith, keys } = value as { signWith?: unknown; keys?: unknown };
  if (typeof signWith !== 'number' || !Number.isInteger(signWith)) {
    throw malformed('has no whole-number signWith');
  }
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw malformed('has no keys object');
  }
  const entries = Object.entries(keys);
  if (entries.length === 0) throw malformed('lists no keys');
  return {
    signWith,
    keys: entries.map(([id, secret]) => {
      if (!/^\d{1,3}$/.test(id)) throw malformed(`has a key id "${id}" that is not a number`);
      if (typeof secret !== 'string' || secret === '' || !base64.test(secret)) {
        throw malformed(`has key ${id} that is not a base64 string`);
      }
      return { id: Number(id), secret: Buffer.from(secret, 'base64') };
    }),
  };
}
