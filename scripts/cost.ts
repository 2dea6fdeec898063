// `npm run cost`: what a month of givefirst costs per user on AWS, from the synthesised template's
// own settings (memory, timeouts, log retention, raw-mail lifecycle, the schedule, the alarms) and
// list prices, for a stated usage. Prices are us-east-1 on-demand list prices; each constant says
// where it comes from. Nothing here calls AWS.
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../infra/build-app.ts';

// ── usage, per user per month (the figures the product is priced on) ─────────────────────────────
const messagesPerUser = 600;
const messageKb = 60;
const digestsPerUser = 22;

// ── list prices, us-east-1 ───────────────────────────────────────────────────────────────────────
/** SES pricing page, "Email receiving": $0.10 per 1,000 emails received. */
const sesPerReceivedMail = 0.1 / 1000;
/** SES pricing page, "Email receiving": $0.09 per 1,000 incoming 256 KB chunks. */
const sesPerReceivedChunk = 0.09 / 1000;
/** SES pricing page, "Outbound email": $0.10 per 1,000 emails sent. */
const sesPerSentMail = 0.1 / 1000;
/** S3 pricing page, S3 Standard: $0.005 per 1,000 PUT requests. */
const s3PerPut = 0.005 / 1000;
/** S3 pricing page, S3 Standard: $0.0004 per 1,000 GET requests. */
const s3PerGet = 0.0004 / 1000;
/** S3 pricing page, S3 Standard storage, first 50 TB: $0.023 per GB-month. */
const s3PerGbMonth = 0.023;
/** Lambda pricing page, Arm: $0.20 per 1M requests. */
const lambdaPerRequest = 0.2 / 1_000_000;
/** Lambda pricing page, Arm, first 7.5 billion GB-seconds: $0.0000133334 per GB-second. */
const lambdaArmPerGbSecond = 0.0000133334;
/** DynamoDB pricing page, on-demand: $0.625 per million write request units. */
const dynamoPerWru = 0.625 / 1_000_000;
/** DynamoDB pricing page, on-demand: $0.125 per million read request units. */
const dynamoPerRru = 0.125 / 1_000_000;
/** DynamoDB pricing page, Standard table class storage: $0.25 per GB-month (first 25 GB free, not counted). */
const dynamoPerGbMonth = 0.25;
/** DynamoDB pricing page, continuous backups (PITR): $0.20 per GB-month of table size. */
const pitrPerGbMonth = 0.2;
/** CloudWatch pricing page, Logs: $0.50 per GB ingested (standard class). */
const logsPerGbIngested = 0.5;
/** CloudWatch pricing page, Logs: $0.03 per GB-month archived (compressed). */
const logsPerGbMonthStored = 0.03;
/** CloudWatch pricing page, Alarms: $0.10 per standard-resolution alarm metric per month. */
const alarmPerMetricMonth = 0.1;
/** Secrets Manager pricing page: $0.40 per secret per month, $0.05 per 10,000 API calls. */
const secretPerMonth = 0.4;
const secretPerCall = 0.05 / 10_000;

// ── what one event costs the functions (measured locally or stated as assumed) ───────────────────
/**
 * DynamoDB requests one logged message makes, from `npm run bench -- ingest` ("DynamoDB requests
 * per logged message": 2 PutItem and 2 UpdateItem; 1 BatchGetItem of two items), each item under
 * 1 KB, whatever the number of recipients (an alias adds one GetItem).
 */
const dynamoWritesPerMessage = 4;
const dynamoReadsPerMessage = 2;
/** Share of writes that also write an index entry (assumed: user, slot and owner items carry index keys). */
const indexWriteShare = 0.5;
/**
 * Billed milliseconds per ingest invocation: assumed 300 ms (a 60 KB message parsed streaming
 * plus ~15 DynamoDB round trips of ~10 ms each in-region); cold starts add the bundle's load time.
 */
const ingestBilledMs = 300;
/** Share of ingest invocations that start cold (assumed: mail arrives all day; containers stay warm). */
const coldShare = 0.02;
/**
 * Module load of the ingest bundle on a cold start (billed as init time), from `npm run bench --
 * bundle` on a shared two-core machine: 498 ms against 157 ms for its SDK clients alone (1,671 ms
 * in a run under heavy load); Lambda's CPU at 512 MB is about a third of a core, hence 1,500 ms.
 */
const coldLoadMs = 1500;
/** Items one digest reads: the user's open threads, contacts and recent messages (assumed). */
const readsPerDigest = 60;
/** Billed milliseconds of building and sending one digest (assumed: ~10 queries and one SES send). */
const digestBilledMs = 400;
/** Billed milliseconds of a scheduler run that finds nobody due (one Get, a few index Queries). */
const idleRunMs = 100;
/** Bytes logged per invocation: START/END/REPORT lines (~350 B) and one structured line (~250 B). */
const logBytesPerInvocation = 600;
/** Stored bytes per logged message: the message item, its thread and owner items (~1.5 KB). */
const storedBytesPerMessage = 1536;

// ── the template's own settings ──────────────────────────────────────────────────────────────────
const { stateful, stateless } = buildApp({
  mailDomain: 'in.example.org',
  fromAddress: 'digest@example.org',
  alarmEmail: 'ops@example.org',
  'aws:cdk:bundling-stacks': [],
});
type Resource = { Type: string; Properties: Record<string, unknown> };
const resourcesOf = (stack: Stack) =>
  Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>);
const statelessResources = resourcesOf(stateless);
const statefulResources = resourcesOf(stateful);
const functionSetting = (idPrefix: string) => {
  const found = statelessResources.find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(idPrefix),
  );
  if (!found) throw new Error(`no function ${idPrefix} in the template`);
  const logGroupRef = (found[1].Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup
    .Ref;
  const logGroup = statelessResources.find(([id]) => id === logGroupRef)?.[1];
  return {
    memoryGb: (found[1].Properties.MemorySize as number) / 1024,
    reservedConcurrency: (found[1].Properties.ReservedConcurrentExecutions as number) ?? 0,
    timeoutS: found[1].Properties.Timeout as number,
    logRetentionDays: (logGroup?.Properties.RetentionInDays as number) ?? 0,
  };
};
const ingest = functionSetting('IngestEmail');
const scheduler = functionSetting('DigestSchedulerScheduleDigests');
const bucket = statefulResources.find(([, r]) => r.Type === 'AWS::S3::Bucket')?.[1];
const lifecycle = bucket?.Properties.LifecycleConfiguration as
  | { Rules: { ExpirationInDays?: number }[] }
  | undefined;
const rawMailDays = lifecycle?.Rules.find((r) => r.ExpirationInDays)?.ExpirationInDays ?? 0;
const table = statefulResources.find(([, r]) => r.Type === 'AWS::DynamoDB::Table')?.[1];
const pitr = (
  table?.Properties.PointInTimeRecoverySpecification as {
    PointInTimeRecoveryEnabled?: boolean;
  }
)?.PointInTimeRecoveryEnabled;
const schedule = statelessResources.find(([, r]) => r.Type === 'AWS::Events::Rule')?.[1];
const runsPerMonth =
  schedule?.Properties.ScheduleExpression === 'cron(0/15 * * * ? *)' ? 4 * 24 * 30 : Number.NaN;
const alarmMetrics = statelessResources
  .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
  .reduce((n, [, r]) => {
    const metrics = r.Properties.Metrics as { MetricStat?: unknown }[] | undefined;
    return n + (metrics ? metrics.filter((m) => m.MetricStat).length : 1);
  }, 0);
const secrets = statefulResources.filter(
  ([, r]) => r.Type === 'AWS::SecretsManager::Secret',
).length;
/**
 * Reads of the reply-token keys a month: each scheduler run, and each warm ingest container (at most
 * its reserved concurrency) once per cache period of five minutes (replyTokenKeysMaxAgeMs).
 */
const secretReadsPerMonth = runsPerMonth + ingest.reservedConcurrency * 12 * 24 * 30;

// ── the month ────────────────────────────────────────────────────────────────────────────────────
const gb = 1024 ** 3;
const chunksPerMessage = Math.ceil(messageKb / 256);

interface Line {
  what: string;
  floor: boolean;
  /** Dollars per user per month for `users` users in the user's `month`-th month. */
  perUser(users: number, month: number): number;
}
const perUser = (what: string, floor: boolean, cost: number): Line => ({
  what,
  floor,
  perUser: () => cost,
});
const lines: Line[] = [
  perUser(
    'SES receiving (mails and 256 KB chunks)',
    true,
    messagesPerUser * (sesPerReceivedMail + chunksPerMessage * sesPerReceivedChunk),
  ),
  perUser('S3 PUT of each received mail', true, messagesPerUser * s3PerPut),
  perUser('SES sending of the digests', true, digestsPerUser * sesPerSentMail),
  perUser(
    `Lambda ingest (${ingest.memoryGb * 1024} MB, ${ingestBilledMs} ms, ${coldShare * 100}% cold)`,
    false,
    messagesPerUser *
      (lambdaPerRequest +
        ingest.memoryGb *
          ((ingestBilledMs + coldShare * coldLoadMs) / 1000) *
          lambdaArmPerGbSecond),
  ),
  perUser(
    `Lambda digests (${scheduler.memoryGb * 1024} MB, ${digestBilledMs} ms each)`,
    false,
    digestsPerUser * scheduler.memoryGb * (digestBilledMs / 1000) * lambdaArmPerGbSecond,
  ),
  {
    what: `Lambda scheduler runs (${runsPerMonth} a month, shared)`,
    floor: false,
    perUser: (users) =>
      (runsPerMonth *
        (lambdaPerRequest + scheduler.memoryGb * (idleRunMs / 1000) * lambdaArmPerGbSecond)) /
      users,
  },
  perUser(
    `S3 GET and ${rawMailDays}-day raw-mail storage`,
    false,
    messagesPerUser * s3PerGet +
      ((messagesPerUser * messageKb * 1024) / gb) * (rawMailDays / 30) * s3PerGbMonth,
  ),
  perUser(
    'DynamoDB writes and reads (on-demand)',
    false,
    messagesPerUser * dynamoWritesPerMessage * (1 + indexWriteShare) * dynamoPerWru +
      messagesPerUser * dynamoReadsPerMessage * dynamoPerRru +
      digestsPerUser * (readsPerDigest / 8) * dynamoPerRru,
  ),
  {
    what: `DynamoDB storage${pitr ? ' and PITR' : ''} (grows with tenure)`,
    floor: false,
    perUser: (_users, month) =>
      ((messagesPerUser * month * storedBytesPerMessage) / gb) *
      (dynamoPerGbMonth + (pitr ? pitrPerGbMonth : 0)),
  },
  perUser(
    `CloudWatch Logs (${ingest.logRetentionDays}-day retention)`,
    false,
    (((messagesPerUser + digestsPerUser) * logBytesPerInvocation) / gb) *
      (logsPerGbIngested + logsPerGbMonthStored * (ingest.logRetentionDays / 30)),
  ),
  {
    what: `CloudWatch alarms (${alarmMetrics} alarm metrics, shared)`,
    floor: false,
    perUser: (users) => (alarmMetrics * alarmPerMetricMonth) / users,
  },
  {
    what: `Secrets Manager (${secrets} secret, read by the scheduler and ingest, shared)`,
    floor: false,
    perUser: (users) => (secrets * secretPerMonth + secretReadsPerMonth * secretPerCall) / users,
  },
];

const columns = [
  { users: 100, month: 1 },
  { users: 10_000, month: 1 },
  { users: 10_000, month: 24 },
];
const money = (n: number) => `$${n.toFixed(5)}`;
const header = columns.map((c) => `${c.users.toLocaleString('en-US')} users, month ${c.month}`);
const rows: string[][] = [];
const total = (floor: boolean) =>
  columns.map((c) =>
    lines.filter((l) => l.floor === floor).reduce((sum, l) => sum + l.perUser(c.users, c.month), 0),
  );
for (const floor of [true, false]) {
  for (const line of lines.filter((l) => l.floor === floor)) {
    rows.push([line.what, ...columns.map((c) => money(line.perUser(c.users, c.month)))]);
  }
  rows.push([
    floor ? '**the mail floor**' : '**beyond the floor**',
    ...total(floor).map((n) => `**${money(n)}**`),
  ]);
}
rows.push([
  '**total per user per month**',
  ...columns.map((_, i) => `**${money((total(true)[i] ?? 0) + (total(false)[i] ?? 0))}**`),
]);

console.log(
  `Per user per month: ${messagesPerUser} logged messages of ${messageKb} KB, ${digestsPerUser} digests; us-east-1 list prices; free tiers not counted.\n`,
);
console.log(`| cost line | ${header.join(' | ')} |`);
console.log(`|---|${header.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
const beyond = total(false)[1] ?? 0;
console.log(
  `\nBeyond the floor at 10,000 users in month 1: ${money(beyond)} (target $0.00300): ${beyond <= 0.003 ? 'met' : 'not met'}.`,
);
