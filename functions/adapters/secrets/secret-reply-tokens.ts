import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { makeSecretsClient } from '#adapters/aws-clients.ts';
import { parseReplyTokenKeys } from '#adapters/config.ts';
import { ConfigError } from '#domain/errors.ts';
import type { Clock } from '#domain/ports.ts';
import { makeTokens, type ReplyTokens } from '#domain/reply-token.ts';

/** How long a container keeps the keys before reading the secret again (so a rotation reaches it). */
export const replyTokenKeysMaxAgeMs = 5 * 60_000;

/**
 * The reply-token keys, read from Secrets Manager at run time and cached per container, so they
 * never sit in the function's configuration (where `lambda:GetFunctionConfiguration` shows every
 * environment variable). A warm container reads the secret at most once every five minutes; a
 * new key (rotation) is picked up within that time.
 */
export function makeSecretReplyTokens(deps: {
  secrets: SecretsManagerClient;
  secretId: string;
  clock: Clock;
  maxAgeMs?: number;
}): { current(): Promise<ReplyTokens> } {
  const maxAgeMs = deps.maxAgeMs ?? replyTokenKeysMaxAgeMs;
  let cached: { tokens: ReplyTokens; readAt: number } | undefined;
  return {
    async current() {
      const now = deps.clock().getTime();
      if (cached && now - cached.readAt < maxAgeMs) return cached.tokens;
      const got = await deps.secrets.send(new GetSecretValueCommand({ SecretId: deps.secretId }));
      if (got.SecretString === undefined) {
        throw new ConfigError(`the secret ${deps.secretId} holds no string`);
      }
      cached = { tokens: makeTokens(parseReplyTokenKeys(got.SecretString)), readAt: now };
      return cached.tokens;
    },
  };
}

/**
 * Reply tokens for a handler whose use cases sign and read synchronously: `refresh()` at the start of
 * each invocation takes the keys from the cache above (reading the secret when it is stale), and
 * `tokens` signs and reads with the keys of the last refresh.
 */
export function replyTokensPerInvocation(source: { current(): Promise<ReplyTokens> }): {
  refresh(): Promise<void>;
  tokens: ReplyTokens;
} {
  let keys: ReplyTokens | undefined;
  const now = (): ReplyTokens => {
    if (!keys) throw new ConfigError('the reply-token keys have not been read yet');
    return keys;
  };
  return {
    async refresh() {
      keys = await source.current();
    },
    tokens: {
      issue: (claims) => now().issue(claims),
      read: (token, at) => now().read(token, at),
    },
  };
}

/** The reply-token keys of a deployed function: its configured secret, read through the one client factory. */
export function replyTokenKeysOf(
  config: { region: string; replyTokenKeysSecret: string },
  clock: Clock,
): { current(): Promise<ReplyTokens> } {
  return makeSecretReplyTokens({
    secrets: makeSecretsClient({ region: config.region }),
    secretId: config.replyTokenKeysSecret,
    clock,
  });
}
