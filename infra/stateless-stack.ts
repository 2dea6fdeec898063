import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type IReceiptRuleSet, ReceiptRule, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import {
  Lambda as LambdaAction,
  LambdaInvocationType,
  S3 as S3Action,
} from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { bindRawMail, bindTable, grantSendAsDigest } from './constructs/bindings.ts';
import { DigestScheduler } from './constructs/digest-scheduler.ts';
import { GivefirstFunction } from './constructs/givefirst-function.ts';
import { rawMailPrefix } from './raw-mail.ts';

export interface StatelessStackProps extends StackProps {
  /** The inbound domain D: every address @D is received (log@D, reply+TOKEN@D, start@D). */
  readonly mailDomain: string;
  /** Where the links in mail (unsubscribe) point: https, no trailing slash. */
  readonly publicUrl: string;
  /** REPLY_TOKEN_KEYS for the digest and ingest functions: a dynamic reference to the secret, never the keys. */
  readonly replyTokenKeys: string;
  readonly table: ITable;
  readonly rawMailBucket: IBucket;
  readonly receiptRuleSet: IReceiptRuleSet;
}

/**
 * The code and what wires mail to it: the ingest function, its failure queue and alarm, the SES
 * receipt rule (it lives here because it names the function), and the digest scheduler.
 */
export class StatelessStack extends Stack {
  readonly ingestFunction: GivefirstFunction;
  readonly ingestFailures: Queue;
  readonly digestScheduler: DigestScheduler;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    // Events that still fail after the retries land here; the raw mail stays in S3 for redrive.
    this.ingestFailures = new Queue(this, 'IngestFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.ingestFunction = new GivefirstFunction(this, 'IngestEmail', {
      handlerFile: 'functions/handlers/ingest-email.ts',
      description:
        'Ingests one SES receipt: reads the raw mail from S3 and logs it, or applies and answers reply commands.',
      environment: { MAIL_DOMAIN: props.mailDomain, REPLY_TOKEN_KEYS: props.replyTokenKeys },
      retryAttempts: 2,
      onFailure: new SqsDestination(this.ingestFailures),
    });
    bindTable(this.ingestFunction, props.table);
    bindRawMail(this.ingestFunction, props.rawMailBucket, rawMailPrefix);
    // Answers to reply commands go out as digest@D, as digests do.
    grantSendAsDigest(this.ingestFunction, props.mailDomain);

    new Alarm(this, 'IngestFailuresAlarm', {
      alarmDescription:
        'An inbound message failed to ingest after retries; its SES event is in the failure queue.',
      metric: this.ingestFailures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // The S3 action adds the bucket policy letting SES put objects under the prefix (condition
    // aws:SourceAccount); the Lambda action adds the permission letting SES invoke the function
    // (source account). SES runs the actions in order: the function starts once the mail is stored.
    new ReceiptRule(this, 'InboundRule', {
      ruleSet: props.receiptRuleSet,
      recipients: [props.mailDomain],
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [
        new S3Action({ bucket: props.rawMailBucket, objectKeyPrefix: rawMailPrefix }),
        new LambdaAction({
          function: this.ingestFunction,
          invocationType: LambdaInvocationType.EVENT,
        }),
      ],
    });

    this.digestScheduler = new DigestScheduler(this, 'DigestScheduler', {
      mailDomain: props.mailDomain,
      publicUrl: props.publicUrl,
      replyTokenKeys: props.replyTokenKeys,
      table: props.table,
    });

    new CfnOutput(this, 'IngestFunctionName', { value: this.ingestFunction.functionName });
    new CfnOutput(this, 'IngestFailuresQueueUrl', { value: this.ingestFailures.queueUrl });
    new CfnOutput(this, 'DigestFunctionName', {
      value: this.digestScheduler.function.functionName,
    });
  }
}
