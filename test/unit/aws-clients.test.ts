import { describe, expect, it } from 'vitest';
import {
  localCredentials,
  makeCloudFormationClient,
  makeDocumentClient,
  makeS3Client,
  makeSecretsClient,
  makeSesClient,
  makeSqsClient,
} from '#adapters/aws-clients.ts';

describe('the client factory', () => {
  it('gives every client standard retries, and SES adaptive ones with a fourth attempt', async () => {
    // Prepare
    const target = { region: 'eu-west-1' };

    // Act
    const clients = {
      dynamo: makeDocumentClient(target),
      s3: makeS3Client(target),
      secrets: makeSecretsClient(target),
      ses: makeSesClient(target),
    };

    // Assess
    const settings = async (c: (typeof clients)[keyof typeof clients]) => ({
      maxAttempts: await c.config.maxAttempts(),
      retryMode:
        typeof c.config.retryMode === 'string' ? c.config.retryMode : await c.config.retryMode(),
    });
    expect(await settings(clients.dynamo)).toEqual({ maxAttempts: 3, retryMode: 'standard' });
    expect(await settings(clients.s3)).toEqual({ maxAttempts: 3, retryMode: 'standard' });
    expect(await settings(clients.secrets)).toEqual({ maxAttempts: 3, retryMode: 'standard' });
    expect(await settings(clients.ses)).toEqual({ maxAttempts: 4, retryMode: 'adaptive' });
    for (const client of Object.values(clients)) client.destroy();
  });

  it('gives a local endpoint the placeholder credentials, and AWS the default chain', async () => {
    const local = makeSesClient({ region: 'local', endpoint: 'http://127.0.0.1:8005' });
    const aws = makeSesClient({ region: 'eu-west-1' });

    expect(await local.config.credentials()).toMatchObject(localCredentials);
    expect(aws.config.endpoint).toBeUndefined();
    local.destroy();
    aws.destroy();
  });

  it("gives the CLI's CloudFormation and SQS clients the same retries, and leaves an unset region to the SDK", async () => {
    const previous = process.env.AWS_REGION;
    process.env.AWS_REGION = 'ap-southeast-2';
    try {
      const clients = [
        await makeCloudFormationClient({ region: undefined }),
        await makeSqsClient({ region: 'eu-west-1' }),
      ];

      expect(await Promise.all(clients.map((c) => c.config.maxAttempts()))).toEqual([3, 3]);
      expect(await Promise.all(clients.map((c) => c.config.region()))).toEqual([
        'ap-southeast-2',
        'eu-west-1',
      ]);
      for (const client of clients) client.destroy();
    } finally {
      if (previous === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = previous;
    }
  });
});
