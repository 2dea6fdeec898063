import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// The one module that makes AWS SDK clients, on AWS and locally alike, once per container at module
// scope. Retries live here and nowhere else: nothing above the SDK loops on its own, since a loop on
// top of the SDK's retries multiplies them. One function a client, so each bundle carries only the
// clients its handler calls (esbuild drops the rest).

/** Where a client talks: the region, and for a local server (dynalite, the SES emulator) its endpoint. */
export interface ClientTarget {
  /**
   * The region. Only the operator's CLI leaves it out, to let the SDK's own chain find it
   * (AWS_REGION, the profile), as `cdk deploy` did.
   */
  region: string | undefined;
  /** A local server. It gets placeholder credentials, since local servers do not check them. */
  endpoint?: string;
}

/**
 * Standard retries (exponential backoff with jitter, throttling and transient errors only) for
 * every client: three attempts keep a Lambda invocation well inside its timeout.
 */
export const sdkRetries = { maxAttempts: 3, retryMode: 'standard' } as const;

/**
 * SES sending is throttled per second (14 a second in a new production account): adaptive mode
 * also slows the client down when SES says it is sending too fast, and the fourth attempt is
 * still inside the worker's timeout.
 */
export const sesRetries = { maxAttempts: 4, retryMode: 'adaptive' } as const;

/** Placeholder credentials for local servers, written once. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

function settings(target: ClientTarget) {
  return {
    ...(target.region ? { region: target.region } : {}),
    ...sdkRetries,
    ...(target.endpoint ? { endpoint: target.endpoint, credentials: localCredentials } : {}),
  };
}

/** The DynamoDB document client: undefined attributes dropped, class instances refused. */
export function makeDocumentClient(target: ClientTarget): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(settings(target)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** S3 (raw mail). A local endpoint is addressed path-style (`http://host:port/bucket/key`). */
export function makeS3Client(target: ClientTarget): S3Client {
  return new S3Client({
    ...settings(target),
    ...(target.endpoint ? { forcePathStyle: true } : {}),
  });
}

/** SES v2, to send the digest. */
export function makeSesClient(target: ClientTarget): SESv2Client {
  return new SESv2Client({ ...settings(target), ...sesRetries });
}

/** Secrets Manager, to read the reply-token keys at run time. */
export function makeSecretsClient(target: ClientTarget): SecretsManagerClient {
  return new SecretsManagerClient(settings(target));
}

// The two clients only the operator's CLI uses with --aws are imported when first made: the CLI's
// bundle shares this module between its commands, and its local commands never load them.

/**
 * A package imported on demand. The SDK ships CommonJS to Node; in a bundle's own chunk that is
 * the chunk's default export, while Node's import also names each export.
 */
async function load<Module extends object>(imported: Promise<Module>): Promise<Module> {
  const loaded = await imported;
  return (loaded as { default?: Module }).default ?? loaded;
}

/** CloudFormation, for the operator's CLI to read a deployment's stack outputs. */
export async function makeCloudFormationClient(
  target: ClientTarget,
): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await load(import('@aws-sdk/client-cloudformation'));
  return new CloudFormationClient(settings(target));
}

/** SQS, for the operator's CLI to redrive what sits on the ingest failure queue. */
export async function makeSqsClient(target: ClientTarget): Promise<SQSClient> {
  const { SQSClient } = await load(import('@aws-sdk/client-sqs'));
  return new SQSClient(settings(target));
}
