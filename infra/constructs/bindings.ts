import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/** Gives a function the table: its name in TABLE_NAME, and read/write on the table and its indexes. */
export function bindTable(fn: LambdaFunction, table: ITable): void {
  fn.addEnvironment('TABLE_NAME', table.tableName);
  table.grantReadWriteData(fn);
}

/** Gives a function read access to the raw mail SES stores under `prefix`, and where to find it. */
export function bindRawMail(fn: LambdaFunction, bucket: IBucket, prefix: string): void {
  fn.addEnvironment('RAW_MAIL_BUCKET', bucket.bucketName);
  fn.addEnvironment('RAW_MAIL_PREFIX', prefix);
  bucket.grantRead(fn, `${prefix}*`);
}

/**
 * Lets a function send mail only as digest@D (digests, and answers to reply commands). Resource:
 * every identity of this account and region, since SES checks the sending identity (the domain D)
 * and, while the account is in the sandbox, the recipients' identities too; the condition pins the
 * From address.
 */
export function grantSendAsDigest(fn: LambdaFunction, mailDomain: string): void {
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      conditions: { StringEquals: { 'ses:FromAddress': `digest@${mailDomain}` } },
    }),
  );
}
