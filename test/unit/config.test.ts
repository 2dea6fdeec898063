import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseEmailAddress,
  parseMailDomain,
  parseReplyTokenKeys,
  readDigestConfig,
  readSchedulerConfig,
} from '#adapters/config.ts';
import { ConfigError } from '#domain/errors.ts';

const aSecret = () => randomBytes(32).toString('base64');

/** The environment the digest function gets on AWS, with `overrides` applied (undefined removes). */
function aDigestEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    TABLE_NAME: 'givefirst-table',
    MAIL_DOMAIN: 'In.Example.ORG',
    FROM_ADDRESS: 'Digest@Example.ORG',
    CONFIGURATION_SET: 'givefirst',
    PUBLIC_URL: 'https://givefirst.example.org/',
    REPLY_TOKEN_KEYS_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf',
    SES_SEND_INTERVAL_MS: '143',
    AWS_REGION: 'eu-west-1',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

const errorOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
};

describe('readDigestConfig', () => {
  it('reads every value, domains and addresses lower-cased, the URL without its trailing slash', () => {
    expect(readDigestConfig(aDigestEnv())).toEqual({
      tableName: 'givefirst-table',
      mailDomain: 'in.example.org',
      fromAddress: 'digest@example.org',
      configurationSet: 'givefirst',
      publicUrl: 'https://givefirst.example.org',
      replyTokenKeysSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf',
      sesSendIntervalMs: 143,
      region: 'eu-west-1',
    });
  });

  it('names every missing variable at once', () => {
    // Prepare
    const env = aDigestEnv({ TABLE_NAME: undefined, FROM_ADDRESS: '', AWS_REGION: undefined });

    // Act
    const error = errorOf(() => readDigestConfig(env));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'missing environment: TABLE_NAME, FROM_ADDRESS, AWS_REGION',
    );
  });

  it.each(['givefirst.example.org', 'http://givefirst.example.org', 'https://x.org/?t=1'])(
    'refuses PUBLIC_URL %j',
    (publicUrl) => {
      expect(() => readDigestConfig(aDigestEnv({ PUBLIC_URL: publicUrl }))).toThrow(
        /^PUBLIC_URL=.* is not an https URL/,
      );
    },
  );

  it.each([
    ['FROM_ADDRESS', 'givefirst <digest@example.org>', /is not a plain email address/],
    ['MAIL_DOMAIN', 'in.example.org.', /is not a domain name/],
  ])('refuses %s=%j', (name, value, message) => {
    expect(() => readDigestConfig(aDigestEnv({ [name]: value }))).toThrow(message);
  });
});

describe('readSchedulerConfig', () => {
  const aSchedulerEnv = (overrides: Record<string, string | undefined> = {}) =>
    aDigestEnv({
      DIGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests',
      INLINE_DIGEST_LIMIT: '3360',
      ...overrides,
    });

  it('reads the digest settings, the queue and the inline limit', () => {
    expect(readSchedulerConfig(aSchedulerEnv())).toMatchObject({
      tableName: 'givefirst-table',
      sesSendIntervalMs: 143,
      digestQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests',
      inlineDigestLimit: 3360,
    });
  });

  it.each([
    ['INLINE_DIGEST_LIMIT', '0'],
    ['INLINE_DIGEST_LIMIT', '12.5'],
    ['SES_SEND_INTERVAL_MS', '-1'],
    ['SES_SEND_INTERVAL_MS', 'fast'],
  ])('refuses %s=%j', (name, value) => {
    expect(() => readSchedulerConfig(aSchedulerEnv({ [name]: value }))).toThrow(
      new RegExp(`^${name}=.* is not a whole number`),
    );
  });

  it('names a missing queue', () => {
    expect(() => readSchedulerConfig(aSchedulerEnv({ DIGEST_QUEUE_URL: undefined }))).toThrow(
      'missing environment: DIGEST_QUEUE_URL',
    );
  });
});

describe('the shared validators (the CDK app uses them too)', () => {
  it.each([
    ['In.Example.ORG', 'in.example.org'],
    ['example', undefined],
    ['log@example.org', undefined],
    ['https://example.org', undefined],
    ['ex ample.org', undefined],
  ])('parseMailDomain(%j) is %j', (value, expected) => {
    expect(parseMailDomain(value)).toBe(expected);
  });

  it.each([
    ['Digest@Example.org', 'digest@example.org'],
    ['digest+x@in.example.org', 'digest+x@in.example.org'],
    ['digest@example', undefined],
    ['@example.org', undefined],
    ['a@b@example.org', undefined],
    ['"a b"@example.org', undefined],
    ['givefirst <digest@example.org>', undefined],
  ])('parseEmailAddress(%j) is %j', (value, expected) => {
    expect(parseEmailAddress(value)).toBe(expected);
  });
});

describe('parseReplyTokenKeys', () => {
  it('reads nested keys, as an operator writes them', () => {
    const old = randomBytes(32);
    const current = randomBytes(48);

    const keys = parseReplyTokenKeys(
      JSON.stringify({
        signWith: 2,
        keys: { '1': old.toString('base64'), '2': current.toString('base64') },
      }),
    );

    expect(keys).toEqual({
      signWith: 2,
      keys: [
        { id: 1, secret: old },
        { id: 2, secret: current },
      ],
    });
  });

  it('reads a flat key1, as Secrets Manager generates it (44 letters and digits)', () => {
    const generated = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh';

    const keys = parseReplyTokenKeys(JSON.stringify({ signWith: 1, key1: generated }));

    expect(keys).toEqual({
      signWith: 1,
      keys: [{ id: 1, secret: Buffer.from(generated, 'base64') }],
    });
    expect(keys.keys[0]?.secret.length).toBe(33);
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
    ['with a key that is not a string', '{"signWith":1,"key1":42}'],
  ])('refuses keys %s, without quoting them', (_case, text) => {
    const error = errorOf(() => parseReplyTokenKeys(text));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^the reply-token keys /);
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });

  it('accepts a key made the documented way', () => {
    expect(
      parseReplyTokenKeys(JSON.stringify({ signWith: 1, keys: { '1': aSecret() } })).signWith,
    ).toBe(1);
  });
});
