// `--aws`: the CLI's way into a deployment. Loaded only when --aws is given, so the local
// commands never load the CloudFormation and SQS clients.
import '#local/quiet-sdk-warning.ts';
import {
  type CloudFormationClient,
  paginateDescribeStacks,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import {
  makeCloudFormationClient,
  makeDocumentClient,
  makeS3Client,
  makeSqsClient,
} from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { silentLogger } from '#adapters/logger.ts';
import { S3RawMailStore } from '#adapters/raw-mail/s3-raw-mail-store.ts';
import { makeIngestFailureQueue } from '#adapters/sqs/ingest-failure-queue.ts';
import { mailauthChecks, makeServices, openStores } from '#local/services.ts';
import { rawMailPrefix } from '../../infra/raw-mail.ts';
import { UsageError } from './command-line.ts';
import type { Connection } from './connect.ts';
import { DeploymentError } from './deployment-error.ts';

/** The CDK app names its stacks `GivefirstStateful` and `GivefirstStateless` (infra/build-app.ts). */
export const defaultStackPrefix = 'Givefirst';

/** Which deployment: `--region` (else the SDK's chain: AWS_REGION, the profile) and `--stack-prefix`. */
export interface AwsTarget {
  region?: string;
  stackPrefix?: string;
}

/** The stack outputs the CLI reads, by the stack that has them (the infra tests check both stacks have them). */
export const wantedOutputs = {
  Stateful: ['TableName', 'RawMailBucketName'],
  Stateless: ['MailDomain', 'UnsubscribeUrl', 'IngestFailuresQueueUrl'],
} as const;

type Outputs = Record<(typeof wantedOutputs)['Stateful' | 'Stateless'][number], string>;

const deployHint =
  'deploy it as docs/deploy.md says (npx cdk deploy --all -c mailDomain=… -c fromAddress=… -c alarmEmail=…)';

/**
 * Finds the deployment from its stacks' outputs (CloudFormation DescribeStacks) and connects to
 * its table, raw-mail bucket and ingest failure queue with the standard credentials.
 */
export async function connectAws(target: AwsTarget): Promise<Connection> {
  // AWS_DEFAULT_REGION is the aws CLI's and cdk's, not the SDK's: read it as they do, after AWS_REGION.
  const cloudFormation = await makeCloudFormationClient({
    region: target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  });
  let region: string;
  let outputs: Outputs;
  try {
    region = await regionOf(cloudFormation);
    await checkCredentials(cloudFormation);
    outputs = await readOutputs(cloudFormation, target.stackPrefix ?? defaultStackPrefix, region);
  } finally {
    cloudFormation.destroy();
  }
  const clock = makeClock('system');
  const client = makeDocumentClient({ region });
  const s3 = makeS3Client({ region });
  const sqs = await makeSqsClient({ region });
  return {
    services: makeServices({
      ...openStores({ client, tableName: outputs.TableName, clock }),
      rawMail: new S3RawMailStore(s3, outputs.RawMailBucketName),
      mailDomain: outputs.MailDomain,
      clock,
      logger: silentLogger,
      // SES's verdicts cannot be asked again; a redrive from here runs the checks itself.
      judgeAgain: mailauthChecks(outputs.MailDomain),
    }),
    clock,
    mailDomain: outputs.MailDomain,
    via: 'aws',
    dataDir: null,
    sesEndpoint: null,
    // The function URL ends in a slash; the links add their own path.
    publicUrl: outputs.UnsubscribeUrl.replace(/\/+$/, ''),
    ingestFailures: makeIngestFailureQueue({
      sqs,
      queueUrl: outputs.IngestFailuresQueueUrl,
      rawMailPrefix,
    }),
    close: async () => {
      client.destroy();
      s3.destroy();
      sqs.destroy();
    },
  };
}

/** The region given (--region, AWS_REGION, AWS_DEFAULT_REGION), or the profile's. */
async function regionOf(cloudFormation: CloudFormationClient): Promise<string> {
  const region = await cloudFormation.config.region().catch(() => undefined);
  if (!region) {
    throw new UsageError(
      'which AWS region? none is set',
      'give --region eu-west-1 (the region you deployed to), or set AWS_REGION or AWS_DEFAULT_REGION, or a region in your AWS profile',
    );
  }
  return region;
}

/** The standard chain (environment, AWS_PROFILE, SSO, …), asked once before any request. */
async function checkCredentials(cloudFormation: CloudFormationClient): Promise<void> {
  try {
    await cloudFormation.config.credentials();
  } catch (error) {
    throw new DeploymentError(
      `no AWS credentials: ${error instanceof Error ? error.message : String(error)}`,
      'set AWS_PROFILE to a profile that can read the deployment (after aws sso login for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      { cause: error },
    );
  }
}

/**
 * Both stacks' outputs. The stacks are found in the region's list (DescribeStacks without a
 * name), so a missing one is told apart from any other failure without reading error names, and
 * the stacks that are there can be named.
 */
async function readOutputs(
  cloudFormation: CloudFormationClient,
  prefix: string,
  region: string,
): Promise<Outputs> {
  const names = { Stateful: `${prefix}Stateful`, Stateless: `${prefix}Stateless` } as const;
  const found = new Map<string, Stack>();
  const prefixesHere = new Set<string>();
  try {
    for await (const page of paginateDescribeStacks({ client: cloudFormation }, {})) {
      for (const stack of page.Stacks ?? []) {
        const name = stack.StackName ?? '';
        if (name === names.Stateful || name === names.Stateless) found.set(name, stack);
        if (name.endsWith('Stateless')) prefixesHere.add(name.slice(0, -'Stateless'.length));
      }
      if (found.size === 2) break;
    }
  } catch (error) {
    throw new DeploymentError(
      `cannot list the stacks of ${region}: ${error instanceof Error ? error.message : String(error)}`,
      'check the network, and that these credentials may call cloudformation:DescribeStacks',
      { cause: error },
    );
  }
  const outputs: Partial<Outputs> = {};
  for (const part of ['Stateful', 'Stateless'] as const) {
    const name = names[part];
    const stack = found.get(name);
    if (!stack) {
      const others = [...prefixesHere].filter((p) => p !== prefix);
      throw new DeploymentError(
        `no stack ${name} in ${region}`,
        others.length > 0
          ? `this region has ${others.map((p) => `${p}Stateless`).join(', ')}: give --stack-prefix ${others[0]}`
          : `give --region with the region you deployed to, or ${deployHint}`,
      );
    }
    const values = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    for (const key of wantedOutputs[part]) {
      const value = values.get(key);
      if (!value) {
        throw new DeploymentError(
          `the stack ${name} (${stack.StackStatus ?? 'no status'}) has no output ${key}`,
          stack.StackStatus?.endsWith('_COMPLETE') && !stack.StackStatus.includes('ROLLBACK')
            ? `it was deployed by an older givefirst: ${deployHint}`
            : `wait for its deployment to finish, or ${deployHint}`,
        );
      }
      outputs[key] = value;
    }
  }
  return outputs as Outputs;
}
