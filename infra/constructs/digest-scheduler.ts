import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
 * The sending numbers docs/deploy.md, "What one scheduler run can send", derives the fan-out from.
 * `sesPerSecond` is the send rate of a new production SES account (raise it with the account's
 * quota). A digest's time grows with the messages it reads: `secondsAt300` is one digest of a
 * 300-message history sent through the local stack (`npm run bench -- digest-send`, wall time on
 * one core, the slower of two runs: 44 and 61 ms), `secondsPerMessage` what each further message
 * adds (`npm run bench -- digest`: 2,316 ms to build one over 20,000 messages), both on one core,
 * which the functions get at `digestMemoryMb`. `messagesRead` is the history sized for: a user at a
 * 13-month message horizon at 600 logged messages a month, the cost model's usage. `runShare` is the
 * part of the scheduler's timeout spent sending, the rest left for reading the due users and
 * scheduling their next digests.
 */
export const digestSending = {
  sesPerSecond: 14,
  secondsAt300: 0.061,
  secondsPerMessage: (2.316 - 0.044) / (20_000 - 300),
  messagesRead: 13 * 600,
  runShare: 0.8,
} as const;

/** One digest of the history sized for, in seconds. */
export const digestSeconds =
  digestSending.secondsAt300 + (digestSending.messagesRead - 300) * digestSending.secondsPerMessage;

/**
 * The scheduler's and the worker's memory: one vCPU (Lambda gives CPU in proportion to memory and
 * one vCPU at 1,769 MB). Building a digest is CPU-bound, so GB-seconds, the bill, are about the
 * same at any size, and at one vCPU a digest takes what it took locally on one core.
 */
export const digestMemoryMb = 1769;

/** The most digests one scheduler run sends itself: its sending time at the slower of SES's rate and its own. */
export const inlineDigestLimit = Math.floor(
  digestSending.runShare *
    schedulerTimeout.toSeconds() *
    Math.min(digestSending.sesPerSecond, 1 / digestSeconds),
);

/**
 * Digest workers at once: enough to keep up with SES's rate at one digest per `digestSeconds` each,
 * and at least two, the least an SQS event source may be capped at.
 */
export const digestWorkers = Math.max(2, Math.ceil(digestSending.sesPerSecond * digestSeconds));

/**
 * The least time between two sends of one invocation (paced-mailer.ts): the scheduler, alone, takes
 * all of SES's rate; each worker its share.
 */
export const sesSendIntervalMs = {
  scheduler: Math.ceil(1000 / digestSending.sesPerSecond),
  worker: Math.ceil((1000 * digestWorkers) / digestSending.sesPerSecond),
};

/** One worker invocation: a batch of ten digests, with room for SES throttling retries. */
export const digestWorkerTimeout = Duration.seconds(60);

/**
 * The digest path on AWS: an EventBridge rule at the start of every 15-minute slot invokes the
 * scheduler function, which sends the due digests inline through SES, or, when more are due than
 * one run can send, puts one message per user on the digest queue for the digest worker.
 */
export class DigestScheduler extends Construct {
  readonly function: GivefirstFunction;
  readonly rule: Rule;
  /** One message per due digest the scheduler did not send itself. */
  readonly queue: Queue;
  /** Digest messages that failed three receipts. */
  readonly deadLetters: Queue;
  /** Sends the queued digests. */
  readonly worker: GivefirstFunction;

  constructor(scope: Construct, id: string, props: DigestSchedulerProps) {
    super(scope, id);

    this.function = new GivefirstFunction(this, 'ScheduleDigests', {
      handlerFile: 'functions/handlers/schedule-digests.ts',
      description: 'Runs the digest scheduler once: sends the digests due since the last run.',
      memorySize: digestMemoryMb,
      timeout: schedulerTimeout,
      environment: {
        MAIL_DOMAIN: props.mailDomain,
        PUBLIC_URL: props.publicUrl,
        INLINE_DIGEST_LIMIT: String(inlineDigestLimit),
        SES_SEND_INTERVAL_MS: String(sesSendIntervalMs.scheduler),
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

    this.deadLetters = new Queue(this, 'DigestDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue itself; its messages are looked at by hand.',
    });
    this.queue = new Queue(this, 'DigestQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice for an SQS event source: six times the function's timeout, so a batch
      // being sent is never handed to a second worker.
      visibilityTimeout: Duration.seconds(6 * digestWorkerTimeout.toSeconds()),
      // A digest a day late is not sent (send-queued-digest.ts): a day is long enough.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 3 },
    });
    // SendMessage (which also authorises SendMessageBatch) on this queue only: no grant helper,
    // which would add GetQueueAttributes and GetQueueUrl the scheduler never calls.
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    this.function.addEnvironment('DIGEST_QUEUE_URL', this.queue.queueUrl);

    this.worker = new GivefirstFunction(this, 'SendDigests', {
      handlerFile: 'functions/handlers/send-digests.ts',
      description:
        'Sends the digests the scheduler queued, with the same use case it sends inline.',
      memorySize: digestMemoryMb,
      timeout: digestWorkerTimeout,
      environment: {
        MAIL_DOMAIN: props.mailDomain,
        PUBLIC_URL: props.publicUrl,
        SES_SEND_INTERVAL_MS: String(sesSendIntervalMs.worker),
      },
      // Sized to SES's send rate (digestWorkers above): more workers would only be throttled.
      reservedConcurrentExecutions: digestWorkers,
    });
    bindTable(this.worker, props.table);
    bindReplyTokenKeys(this.worker, props.replyTokenKeys);
    grantSendAs(this.worker, props);
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        // The poller never invokes more workers than are reserved, so no batch is throttled back
        // onto the queue (and toward the dead-letter queue) for lack of a worker.
        maxConcurrency: digestWorkers,
        reportBatchItemFailures: true,
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
  }
}
