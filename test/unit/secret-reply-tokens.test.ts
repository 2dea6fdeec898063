import { randomBytes } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  makeSecretReplyTokens,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { ConfigError } from '#domain/errors.ts';

/** A Secrets Manager client whose secret the test changes; it counts the reads. */
function fakeSecrets(initial: string | undefined) {
  const state = { secret: initial, reads: [] as unknown[] };
  const secrets = {
    send: async (command: { input: unknown }) => {
      state.reads.push(command.input);
      return { SecretString: state.secret };
    },
  } as unknown as SecretsManagerClient;
  return { secrets, state };
}

const keysJson = (id: number) =>
  JSON.stringify({ signWith: id, keys: { [id]: randomBytes(32).toString('base64') } });
const claims = {
  userId: '7'.repeat(20),
  ref: '2026-03-02',
  kind: 'unsubscribe' as const,
  expiresAt: new Date('2026-04-01T00:00:00Z'),
};

describe('reply-token keys from Secrets Manager', () => {
  it('reads the secret once while the cache is fresh, then again after five minutes', async () => {
    // Prepare
    let now = Date.parse('2026-03-02T08:00:00Z');
    const { secrets, state } = fakeSecrets(keysJson(1));
    const keys = makeSecretReplyTokens({ secrets, secretId: 'keys', clock: () => new Date(now) });

    // Act
    const first = await keys.current();
    now += 4 * 60_000;
    const cached = await keys.current();
    state.secret = keysJson(2);
    now += 2 * 60_000;
    const rotated = await keys.current();

    // Assess
    expect(state.reads).toEqual([{ SecretId: 'keys' }, { SecretId: 'keys' }]);
    expect(cached).toBe(first);
    const token = rotated.issue(claims);
    expect(rotated.read(token, new Date(now)).ok).toBe(true);
    expect(first.read(token, new Date(now)).ok).toBe(false);
  });

  it('fails loudly on a secret without a string, naming the secret only', async () => {
    const { secrets } = fakeSecrets(undefined);
    const keys = makeSecretReplyTokens({ secrets, secretId: 'keys', clock: () => new Date() });

    await expect(keys.current()).rejects.toBeInstanceOf(ConfigError);
  });

  it('signs and reads with the keys of the last refresh, and refuses before the first', async () => {
    // Prepare
    const { secrets } = fakeSecrets(keysJson(1));
    const handlerKeys = replyTokensPerInvocation(
      makeSecretReplyTokens({ secrets, secretId: 'keys', clock: () => new Date() }),
    );

    // Act
    const before = (() => {
      try {
        return handlerKeys.tokens.issue(claims);
      } catch (error) {
        return error;
      }
    })();
    await handlerKeys.refresh();
    const token = handlerKeys.tokens.issue(claims);

    // Assess
    expect(before).toBeInstanceOf(ConfigError);
    expect(handlerKeys.tokens.read(token, new Date('2026-03-02T09:00:00Z'))).toMatchObject({
      ok: true,
    });
  });
});
