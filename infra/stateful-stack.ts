import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { tableDefinition } from '../functions/adapters/dynamodb/table-design.ts';
import { rawMailPrefix, rawMailRetentionDays } from './raw-mail.ts';

/** Fixed so that the operator can activate it by name (see the output below). */
export const receiptRuleSetName = 'givefirst-inbound';

/**
 * What must outlive a deployment of the code: the table, the raw-mail bucket and the SES receipt
 * rule set. The rule inside the set lives in the stateless stack, next to the function it invokes.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly rawMailBucket: Bucket;
  readonly receiptRuleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The key schema comes from the code that spells the keys, so the two cannot drift.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Unversioned on purpose: an expired message is gone, not kept as a noncurrent version.
    this.rawMailBucket = new Bucket(this, 'RawMail', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: 'expire-raw-mail',
          prefix: rawMailPrefix,
          expiration: Duration.days(rawMailRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudFormation cannot activate a receipt rule set; the operator does it once after the
    // first deploy: aws ses set-active-receipt-rule-set --rule-set-name givefirst-inbound
    this.receiptRuleSet = new ReceiptRuleSet(this, 'ReceiptRuleSet', { receiptRuleSetName });

    new CfnOutput(this, 'ActivateReceiptRuleSet', {
      description: 'Run once after the first deploy: CloudFormation cannot activate a rule set.',
      value: `aws ses set-active-receipt-rule-set --rule-set-name ${receiptRuleSetName} --region ${this.region}`,
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMailBucket.bucketName });
  }
}
