import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { bindTable } from './bindings.ts';
import { GivefirstFunction } from './givefirst-function.ts';

export interface DigestSchedulerProps {
  /** The domain digests come from (digest@D) and replies go to (reply+TOKEN@D). */
  readonly mailDomain: string;
  /** Where unsubscribe links point, https, no trailing slash. */
  readonly publicUrl: string;
  /** REPLY_TOKEN_KEYS as the template carries it: a dynamic reference, never the keys. */
  readonly replyTokenKeys: string;
  readonly table: ITable;
}

/**
 * The digest path on AWS: an EventBridge rule at the start of every 15-minute slot invokes the
 * scheduler function, which sends the due digests inline through SES.
 */
export class DigestScheduler extends Construct {
  readonly function: GivefirstFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DigestSchedulerProps) {
    super(scope, id);

    this.function = new GivefirstFunction(this, 'ScheduleDigests', {
      handlerFile: 'functions/handlers/schedule-digests.ts',
      description: 'Runs the digest scheduler once: sends the digests due since the last run.',
      // Sends inline, one user after another: room for a few hundred digests a run.
      timeout: Duration.minutes(5),
      environment: {
        MAIL_DOMAIN: props.mailDomain,
        PUBLIC_URL: props.publicUrl,
        REPLY_TOKEN_KEYS: props.replyTokenKeys,
      },
      // A failed run is not retried by Lambda: the cursor did not move, so the next run (15
      // minutes later) catches the missed slots up, and the per-day digest record makes a
      // double run harmless.
      retryAttempts: 0,
    });
    bindTable(this.function, props.table);

    // Sending only as digest@D. Resource: every identity of this account and region, since SES
    // checks the sending identity (the domain D) and, while the account is in the sandbox, the
    // recipients' identities too; the condition pins the From address.
    const stack = Stack.of(this);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
        conditions: { StringEquals: { 'ses:FromAddress': `digest@${props.mailDomain}` } },
      }),
    );

    // At :00, :15, :30 and :45 rather than rate(15 minutes), whose phase is the deploy time: a
    // slot's digests then go out at the slot's start, not up to 15 minutes into it.
    this.rule = new Rule(this, 'EverySlot', {
      description: 'Runs the givefirst digest scheduler at the start of every 15-minute slot.',
      schedule: Schedule.cron({ minute: '0/15' }),
      targets: [
        new LambdaFunction(this.function, {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(10),
        }),
      ],
    });

    new Alarm(this, 'FailingAlarm', {
      alarmDescription:
        'The digest scheduler failed two runs in a row: digests due in those slots are late.',
      metric: this.function.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
