import { Aws, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  type IReceiptRuleAction,
  type IReceiptRuleSet,
  ReceiptRule,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  bindRawMail,
  bindReplyTokenKeys,
  bindTable,
  grantRawMailDelete,
  grantSendAs,
} from './constructs/bindings.ts';
import { DigestScheduler } from './constructs/digest-scheduler.ts';
import { GivefirstFunction } from './constructs/givefirst-function.ts';
import { noRuleSet, ReceiptRuleSetActivation } from './constructs/receipt-rule-set-activation.ts';
import {
  configurationSetName,
  rawMailBucketName,
  receiptRuleName,
  receiptRuleSetName,
} from './names.ts';
import { rawMailPrefix } from './raw-mail.ts';
import { receiptRuleArn } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  /** The inbound domain D: every address @D is received (log@D, reply+TOKEN@D, start@D). */
  readonly mailDomain: string;
  /** The digest's From address. */
  readonly fromAddress: string;
  /** The domain of the From address (its SES identity). */
  readonly sendingDomain: string;
  /** Who the alarms notify (an SNS email subscription, confirmed once by mail). */
  readonly alarmEmail: string;
  /** Verified recipients the digest may go to while the account is in the SES sandbox. */
  readonly sandboxRecipients: readonly string[];
  readonly table: ITable;
  readonly receiptRuleSet: IReceiptRuleSet;
  readonly replyTokenKeys: ISecret;
  /** The configuration set's bounce and complaint events. */
  readonly sesEvents: ITopic;
}

/** Alarm thresholds: SES reviews an account at a 5% bounce rate and a 0.1% complaint rate. */
export const alarmThresholds = { bouncePercent: 2, complaintPercent: 0.05 } as const;

/**
 * The code and what wires mail to it: the ingest function and the SES receipt rule (it lives here
 * because it names the function) and its activation, the digest scheduler, the one-click
 * unsubscribe endpoint, the bounce and complaint handler, the failure queues and the alarms.
 */
export class StatelessStack extends Stack {
  readonly ingestFunction: GivefirstFunction;
  readonly ingestFailures: Queue;
  readonly failures: Queue;
  readonly digestScheduler: DigestScheduler;
  readonly unsubscribeFunction: GivefirstFunction;
  readonly sesNotificationFunction: GivefirstFunction;
  readonly receiptRule: ReceiptRule;
  readonly ruleSetActivation: ReceiptRuleSetActivation;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    // Ingest events that still fail after the retries land here; the raw mail stays in S3 for redrive.
    this.ingestFailures = failureQueue(this, 'IngestFailures');
    // Every other asynchronous function's failed events (scheduler runs, SES notifications).
    this.failures = failureQueue(this, 'Failures');

    this.ingestFunction = new GivefirstFunction(this, 'IngestEmail', {
      handlerFile: 'functions/handlers/ingest-email.ts',
      description:
        'Ingests one SES receipt: reads the raw mail from S3 and logs it, or applies and answers reply commands.',
      // 256 MB: a 40 MB message (SES's most) parses in about 50 MB over the runtime's baseline, and
      // the median message's 11 ms of CPU takes 77 ms at this size's share of a vCPU
      // (docs/deploy.md, "Why memory is where it is").
      memorySize: 256,
      timeout: Duration.seconds(60),
      environment: { MAIL_DOMAIN: props.mailDomain },
      // A flood of mail waits in Lambda's event queue instead of scaling the bill with it.
      reservedConcurrentExecutions: 5,
      retryAttempts: 2,
      onFailure: new SqsDestination(this.ingestFailures),
    });
    bindTable(this.ingestFunction, props.table);
    // Answers to reply commands go out as the digests do, signed with the same reply-token keys.
    bindReplyTokenKeys(this.ingestFunction, props.replyTokenKeys);
    grantSendAs(this.ingestFunction, {
      fromAddress: props.fromAddress,
      sendingDomain: props.sendingDomain,
      configurationSetName,
      sandboxRecipients: props.sandboxRecipients,
    });
    // By its fixed name: the grant then names the bucket plainly, without a cross-stack reference.
    const rawMailBucket = Bucket.fromBucketName(
      this,
      'RawMail',
      rawMailBucketName(Aws.ACCOUNT_ID, Aws.REGION),
    );
    bindRawMail(this.ingestFunction, rawMailBucket, rawMailPrefix);
    grantRawMailDelete(this.ingestFunction, rawMailBucket, rawMailPrefix);

    // SES may invoke the function for this account and this receipt rule only.
    const ruleArn = receiptRuleArn(this);
    this.ingestFunction.addPermission('InvokedBySesReceiptRule', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: ruleArn,
    });

    // SES runs the actions in order: the function starts once the mail is stored. The actions are
    // written out here because the library's own S3 and Lambda actions add a bucket statement
    // and an invoke permission conditioned on the account alone; ours also name the rule.
    const storeRawMail: IReceiptRuleAction = {
      bind: () => ({
        s3Action: { bucketName: rawMailBucket.bucketName, objectKeyPrefix: rawMailPrefix },
      }),
    };
    const invokeIngest: IReceiptRuleAction = {
      bind: () => ({
        lambdaAction: { functionArn: this.ingestFunction.functionArn, invocationType: 'Event' },
      }),
    };
    this.receiptRule = new ReceiptRule(this, 'InboundRule', {
      ruleSet: props.receiptRuleSet,
      receiptRuleName,
      recipients: [props.mailDomain],
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [storeRawMail, invokeIngest],
    });
    this.receiptRule.node.addDependency(this.ingestFunction);

    // CloudFormation has no resource for the active rule set: a small custom resource reads the
    // active one, makes givefirst's active, and says what it replaced and what a delete will do.
    this.ruleSetActivation = new ReceiptRuleSetActivation(this, 'ActivateReceiptRuleSet', {
      ruleSetName: receiptRuleSetName,
    });
    this.ruleSetActivation.node.addDependency(this.receiptRule);

    // The one-click unsubscribe endpoint: public, so its concurrency is capped.
    this.unsubscribeFunction = new GivefirstFunction(this, 'Unsubscribe', {
      handlerFile: 'functions/handlers/unsubscribe.ts',
      description: 'One-click unsubscribe (RFC 8058): POST stops the digests, GET shows a button.',
      memorySize: 256,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: 2,
    });
    bindTable(this.unsubscribeFunction, props.table, {
      actions: ['dynamodb:UpdateItem'],
      indexes: false,
    });
    bindReplyTokenKeys(this.unsubscribeFunction, props.replyTokenKeys);
    const unsubscribeUrl = this.unsubscribeFunction.addFunctionUrl({
      // The link in every digest must work without credentials; the token is the authorisation.
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.BUFFERED,
    });

    this.digestScheduler = new DigestScheduler(this, 'DigestScheduler', {
      mailDomain: props.mailDomain,
      fromAddress: props.fromAddress,
      sendingDomain: props.sendingDomain,
      sandboxRecipients: props.sandboxRecipients,
      configurationSetName,
      publicUrl: unsubscribeUrl.url,
      replyTokenKeys: props.replyTokenKeys,
      table: props.table,
      onFailure: new SqsDestination(this.failures),
    });

    // A digest that hard-bounced or drew a complaint stops that user's digests.
    this.sesNotificationFunction = new GivefirstFunction(this, 'SesNotification', {
      handlerFile: 'functions/handlers/ses-notification.ts',
      description: 'Stops the digests of a user whose digest hard-bounced or drew a complaint.',
      memorySize: 256,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 1,
      retryAttempts: 2,
      onFailure: new SqsDestination(this.failures),
    });
    bindTable(this.sesNotificationFunction, props.table, {
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
      indexes: false,
    });
    props.sesEvents.addSubscription(new LambdaSubscription(this.sesNotificationFunction));

    // Every alarm notifies one topic, subscribed to the operator's address.
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'givefirst alarms',
      enforceSSL: true,
    });
    this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms publish here; the AWS-managed SNS key does not allow CloudWatch, and alarm names are not secret.',
    });
    this.addAlarms();

    new CfnOutput(this, 'ReceiptRuleSetActivation', {
      description: 'What the deploy did to the receipt rule sets of this region.',
      value: `In ${Aws.REGION}: ${this.ruleSetActivation.activation}.`,
    });
    new CfnOutput(this, 'PreviousReceiptRuleSet', {
      description: `The receipt rule set that was active before ${receiptRuleSetName}, or ${noRuleSet}.`,
      value: this.ruleSetActivation.previousActiveRuleSet,
    });
    new CfnOutput(this, 'ReceiptRuleSetOnDelete', {
      description: 'What deleting this stack does to the active receipt rule set.',
      value: `Deleting this stack ${this.ruleSetActivation.onDelete}.`,
    });
    new CfnOutput(this, 'UnsubscribeUrl', { value: unsubscribeUrl.url });
    // What the operator's CLI needs to reach this deployment (with the stateful stack's TableName,
    // RawMailBucketName and ReplyTokenKeysSecretArn).
    new CfnOutput(this, 'MailDomain', { value: props.mailDomain });
    new CfnOutput(this, 'FromAddress', { value: props.fromAddress });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingestFunction.functionName });
    new CfnOutput(this, 'IngestFailuresQueueUrl', { value: this.ingestFailures.queueUrl });
    new CfnOutput(this, 'FailuresQueueUrl', { value: this.failures.queueUrl });
    new CfnOutput(this, 'DigestFunctionName', {
      value: this.digestScheduler.function.functionName,
    });
    new CfnOutput(this, 'DigestQueueUrl', { value: this.digestScheduler.queue.queueUrl });
    new CfnOutput(this, 'DigestDeadLettersQueueUrl', {
      value: this.digestScheduler.deadLetters.queueUrl,
    });
    new CfnOutput(this, 'IngestLogGroup', { value: this.ingestFunction.logGroup.logGroupName });
    new CfnOutput(this, 'DigestLogGroup', {
      value: this.digestScheduler.function.logGroup.logGroupName,
    });
  }

  private addAlarms(): void {
    const scheduler = this.digestScheduler.function;
    const sesCount = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': configurationSetName },
        statistic: 'Sum',
        period: Duration.hours(6),
      });
    const rate = (metricName: string) =>
      new MathExpression({
        expression: 'IF(sent > 0, 100 * events / sent, 0)',
        usingMetrics: { events: sesCount(metricName), sent: sesCount('Send') },
        period: Duration.hours(6),
      });
    const alarm = (id: string, props: ConstructorParameters<typeof Alarm>[2]) => {
      const created = new Alarm(this, id, props);
      created.addAlarmAction(new SnsAction(this.alarmTopic));
      this.alarms.push(created);
    };
    /** A message on a failure or dead-letter queue: someone should look at the first one. */
    const queueAlarm = (id: string, queue: IQueue, alarmDescription: string) =>
      alarm(id, {
        alarmDescription,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    queueAlarm(
      'IngestFailuresAlarm',
      this.ingestFailures,
      'An inbound message failed to ingest after retries; its SES event is in the ingest failure queue.',
    );
    queueAlarm(
      'FailuresAlarm',
      this.failures,
      'A scheduler run or an SES notification failed after retries; its event is in the failure queue.',
    );
    queueAlarm(
      'DigestDeadLettersAlarm',
      this.digestScheduler.deadLetters,
      'A queued digest failed three times; its message (the user and the slot) is on the digest dead-letter queue.',
    );
    alarm('SchedulerFailingAlarm', {
      alarmDescription:
        'The digest scheduler failed two runs in a row: digests due in those slots are late.',
      metric: scheduler.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm('SchedulerNotRunAlarm', {
      alarmDescription:
        'The digest scheduler has not run for 30 minutes: the schedule is disabled or cannot invoke it.',
      metric: scheduler.metricInvocations({ period: Duration.minutes(30), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data point at all is exactly the failure this alarm is for.
      treatMissingData: TreatMissingData.BREACHING,
    });
    alarm('BounceRateAlarm', {
      alarmDescription: `Digests bounce at ${alarmThresholds.bouncePercent}% or more (SES reviews an account at 5%).`,
      metric: rate('Bounce'),
      threshold: alarmThresholds.bouncePercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm('ComplaintRateAlarm', {
      alarmDescription: `Digests draw complaints at ${alarmThresholds.complaintPercent}% or more (SES reviews an account at 0.1%).`,
      metric: rate('Complaint'),
      threshold: alarmThresholds.complaintPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** An encrypted queue kept 14 days (the longest SQS allows) that refuses plain-text requests. */
function failureQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This is the dead-letter destination itself; its messages are redriven by hand.',
  });
  return queue;
}
