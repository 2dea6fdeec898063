import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { tableDefinition } from '../../functions/adapters/dynamodb/table-design.ts';
import { rawMailBucketName } from '../names.ts';

/**
 * The DynamoDB actions the store uses (the modules of adapters/dynamodb/): no Scan, no batch or
 * transaction writes, which it never sends; a user is read with their address claim in one BatchGetItem. Items by key on the table; Query on the table and its indexes.
 */
export const tableItemActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/**
 * Gives a function the table: its name in TABLE_NAME, `actions` on the table, and Query on each
 * index by name when `indexes` is set. A function that needs less than the whole store names less.
 */
export function bindTable(
  fn: LambdaFunction,
  table: ITable,
  access: { actions?: readonly string[]; indexes?: boolean } = {},
): void {
  fn.addEnvironment('TABLE_NAME', table.tableName);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...(access.actions ?? tableItemActions)],
      resources: [table.tableArn],
    }),
  );
  if (access.indexes ?? true) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: tableDefinition.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      }),
    );
  }
}

/**
 * Gives a function GetObject on the raw mail SES stores under `prefix` (no List, no GetBucket*),
 * and where to find it. Objects are keyed by SES message id: the prefix is the narrowest grant.
 */
export function bindRawMail(fn: LambdaFunction, bucket: IBucket, prefix: string): void {
  fn.addEnvironment('RAW_MAIL_BUCKET', bucket.bucketName);
  fn.addEnvironment('RAW_MAIL_PREFIX', prefix);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
  const objects = `arn:<AWS::Partition>:s3:::${rawMailBucketName('<AWS::AccountId>', '<AWS::Region>')}/${prefix}*`;
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${objects}]`,
    reason:
      'Raw mail is keyed by SES message id under the prefix: the prefix is the narrowest grant.',
  });
}

/**
 * Lets a function delete raw mail under the prefix: ingest deletes a message's raw mail once it is
 * logged, and `delete my data` and `forget` by reply remove the user's at once, instead of leaving
 * it to the lifecycle rule. Objects only, never the bucket.
 */
export function grantRawMailDelete(fn: LambdaFunction, bucket: IBucket, prefix: string): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:DeleteObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
}

/** Gives a function the reply-token keys' secret: its ARN in REPLY_TOKEN_KEYS_SECRET, and GetSecretValue on it alone. */
export function bindReplyTokenKeys(fn: LambdaFunction, secret: ISecret): void {
  fn.addEnvironment('REPLY_TOKEN_KEYS_SECRET', secret.secretArn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
}

/** Who a function may send mail as, and through what. */
export interface SendingIdentity {
  fromAddress: string;
  /** The domain of the From address (its SES identity). */
  sendingDomain: string;
  configurationSetName: string;
  /** Verified recipients mail may go to while the account is in the SES sandbox. */
  sandboxRecipients: readonly string[];
}

/**
 * Lets a function send only as the From address, only through its domain's identity and the
 * configuration set (SES authorises a send against both; in the sandbox, against the recipient's
 * identity too): digests, and answers to reply commands.
 */
export function grantSendAs(fn: LambdaFunction, identity: SendingIdentity): void {
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        stack.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: identity.sendingDomain,
        }),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: identity.configurationSetName,
        }),
        ...identity.sandboxRecipients.map((address) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: address }),
        ),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': identity.fromAddress } },
    }),
  );
  fn.addEnvironment('FROM_ADDRESS', identity.fromAddress);
  fn.addEnvironment('CONFIGURATION_SET', identity.configurationSetName);
}
