import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { bindReplyTokenKeys, bindTable, grantSendAs } from './bindings.ts';
import { GivefirstFunction } from './givefirst-function.ts';

export interface DigestSchedulerProps {
  /** The domain replies go to (reply+TOKEN@D). */
  readonly mailDomain: string;
  /** The digest's From address: the only address the function may send as. */
  readonly fromAddress: string;
  /** The domain of the From address: the SES identity the function may send through. */
  readonly sendingDomain: string;
  /** Verified recipients the digest may go to while the account is in the SES sandbox. */
  readonly sandboxRecipients: readonly string[];
  /** The SES configuration set every digest is sent in. */
  readonly configurationSetName: string;
  /** Where unsubscribe links point, https (the unsubscribe endpoint). */
  readonly publicUrl: string;
  readonly replyTokenKeys: ISecret;
  readonly table: ITable;
  /** Where a run that still fails after Lambda's retries is recorded. */
  readonly onFailure: IDestination;
}

/** How long one scheduler run may send: docs/deploy.md, "What one scheduler run can send". */
export const schedulerTimeout = Duration.minutes(5);

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
      memorySize: 512,
      timeout: schedulerTimeout,
      environment: {
        MAIL_DOMAIN: props.mailDomain,
        PUBLIC_URL: props.publicUrl,
      },
      // One run at a time: two overlapping runs would only race for the same digests (the per-day
      // record keeps that harmless), and a runaway cannot multiply.
      reservedConcurrentExecutions: 1,
      // A failed run is not retried by Lambda: the cursor did not move, so the next run (15
      // minutes later) catches the missed slots up, and the per-day digest record makes a
      // double run harmless. The failure is recorded on the failure queue.
      retryAttempts: 0,
      onFailure: props.onFailure,
    });
    bindTable(this.function, props.table);
    bindReplyTokenKeys(this.function, props.replyTokenKeys);

    grantSendAs(this.function, props);

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
  }
}
