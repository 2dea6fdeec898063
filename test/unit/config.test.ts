import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDigestConfig } from '#adapters/config.ts';
import { ConfigError } from '#domain/errors.ts';

const aSecret = () => randomBytes(32).toString('base64');

/** The environment the digest function gets on AWS, with `overrides` applied (undefined removes). */
function aDigestEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    TABLE_NAME: 'givefirst-table',
    MAIL_DOMAIN: 'In.Example.ORG',
    PUBLIC_URL: 'https://givefirst.example.org/',
    REPLY_TOKEN_KEYS: JSON.stringify({ signWith: 1, keys: { '1': aSecret() } }),
    AWS_REGION: 'eu-west-1',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

const readError = (env: NodeJS.ProcessEnv): unknown => {
  try {
    readDigestConfig(env);
  } catch (error) {
    return error;
  }
  throw new Error('readDigestConfig did not throw');
};

describe('readDigestConfig', () => {
  it('reads every value, the keys decoded for makeTokens', () => {
    // Prepare
    const old = randomBytes(32);
    const current = randomBytes(48);
    const env = aDigestEnv({
      REPLY_TOKEN_KEYS: JSON.stringify({
        signWith: 2,
        keys: { '1': old.toString('base64'), '2': current.toString('base64') },
      }),
    });

    // Act
    const config = readDigestConfig(env);

    // Assess
    expect(config).toEqual({
      tableName: 'givefirst-table',
      mailDomain: 'in.example.org',
      publicUrl: 'https://givefirst.example.org',
      replyTokenKeys: {
        signWith: 2,
        keys: [
          { id: 1, secret: old },
          { id: 2, secret: current },
        ],
      },
      region: 'eu-west-1',
    });
  });

  it('names every missing variable at once', () => {
    // Prepare
    const env = aDigestEnv({ TABLE_NAME: undefined, REPLY_TOKEN_KEYS: '', AWS_REGION: undefined });

    // Act
    const error = readError(env);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'missing environment: TABLE_NAME, REPLY_TOKEN_KEYS, AWS_REGION',
    );
  });

  it.each([
    ['not JSON', '{"signWith":1,"keys":{"1":"c2VjcmV0'],
    ['not an object', '["c2VjcmV0"]'],
    ['without signWith', '{"keys":{"1":"c2VjcmV0c2VjcmV0"}}'],
    ['with a fractional signWith', '{"signWith":1.5,"keys":{"1":"c2VjcmV0c2VjcmV0"}}'],
    ['without keys', '{"signWith":1}'],
    ['with no key listed', '{"signWith":1,"keys":{}}'],
    ['with a key id that is not a number', '{"signWith":1,"keys":{"one":"c2VjcmV0c2VjcmV0"}}'],
    ['with a key that is not base64', '{"signWith":1,"keys":{"1":"not base64!"}}'],
    ['with a key that is not a string', '{"signWith":1,"keys":{"1":42}}'],
  ])('refuses REPLY_TOKEN_KEYS %s, without quoting it', (_case, keys) => {
    // Prepare
    const env = aDigestEnv({ REPLY_TOKEN_KEYS: keys });

    // Act
    const error = readError(env);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^REPLY_TOKEN_KEYS /);
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });

  it.each(['givefirst.example.org', 'http://givefirst.example.org', 'https://x.org/?t=1'])(
    'refuses PUBLIC_URL %j',
    (publicUrl) => {
      expect(() => readDigestConfig(aDigestEnv({ PUBLIC_URL: publicUrl }))).toThrow(
        /^PUBLIC_URL=.* is not an https URL/,
      );
    },
  );
});
