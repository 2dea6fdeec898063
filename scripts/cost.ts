// `npm run cost`: what a month of givefirst costs per user on AWS, from the synthesised template's
// own settings (memory, timeouts, log retention, raw-mail lifecycle, the schedule, the alarms) and
// list prices, for a stated usage. Prices are us-east-1 on-demand list prices; each constant says
// where it comes from. Nothing here calls AWS.
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { digestRetentionDays } from '../functions/adapters/dynamodb/table-design.ts';
import {
  checkpointRefreshDays,
  checkpointRefreshMessages,
  historyHorizonMonths,
} from '../functions/domain/retention.ts';
import { buildApp } from '../infra/build-app.ts';
import { digestSending } from '../infra/constructs/digest-scheduler.ts';

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
/** S3 pricing page, S3 Standard storage, first 50 TB: $0.023 per GB-month (no minimum duration). */
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

// ── the message horizon and item sizes (update these when the storage design changes) ───────────
/**
 * Months a logged message item is kept: the store's horizon (`historyHorizonMonths` in
 * functions/domain/retention.ts): once a history checkpoint holds it, it expires 13 months after its
 * date. Views read the checkpoint and the mail logged since it, not every kept message
 * (docs/storage.md, "Views read what can still matter").
 */
const messageHorizonMonths = historyHorizonMonths;
/**
 * Hot contacts by a user's `month`-th month: ASSUMED the first 50 and those written to in the last
 * six months (20 a month), so at most 170, whatever the years; the others have gone cold.
 */
const hotContacts = (month: number) => 50 + 20 * Math.min(month, 6);
/**
 * A paused contact's ledger in the checkpoint's chunks (Brotli, the contacts in columns): 20 bytes
 * measured on the history bench's ten-year user (2,000 contacts of a full rhythm window each), whose
 * names and addresses are much alike; ASSUMED 28 for real ones.
 */
const contactBytes = 28;
/**
 * A cold contact in its shard (gzip'd, a contact a row): 33 bytes measured for a packed contact a
 * row in the chunks before they were columns; ASSUMED 45 for real ones.
 */
const coldContactBytes = 45;
/** A kept message's share of the checkpoint's chunks: 38 bytes measured there; ASSUMED 40. */
const keptMessageBytes = 40;
/**
 * The checkpoint's head and chunks, which every view reads (compressed, by the measured shares
 * above): `keptMessageBytes` per message it keeps (the last month's, roughly: the settle line is 30
 * days back) and `contactBytes` per hot contact.
 */
const checkpointBytes = (month: number) =>
  messagesPerUser * keptMessageBytes + hotContacts(month) * contactBytes;
/**
 * What else of the checkpoint is stored, read only for what a view looks up: the settled-id shards
 * (ASSUMED 1.5 ids a message; each of the 4,096 shards an id reached holds at least a 168-byte
 * filter, about 330 bytes as an item with its base64 and names) and the cold contacts
 * (`coldContactBytes` each, 20 a month from the seventh month on).
 */
const settledAndColdBytes = (month: number) => {
  const ids = 1.5 * messagesPerUser * month;
  const shardsReached = 4096 * (1 - Math.exp(-ids / 4096));
  const cold = Math.max(0, 20 * (month - 6));
  return shardsReached * 330 + Math.max(0, ids * 4 - shardsReached * 168) + cold * coldContactBytes;
};
/**
 * Refreshes a month: after a digest, once the checkpoint is `checkpointRefreshDays` (7) old, or
 * `checkpointRefreshMessages` (200) messages behind (functions/domain/retention.ts); at this usage
 * (140 messages a week) the age decides. Late mail that no longer folds makes one more, not counted.
 */
const refreshesPerMonth = Math.min(
  digestsPerUser,
  Math.max(30 / checkpointRefreshDays, messagesPerUser / checkpointRefreshMessages),
);
/** Messages a digest reads since the checkpoint: half a refresh interval's mail, on average. */
const messagesReadPerDigest = messagesPerUser / refreshesPerMonth / 2;
/**
 * Write units of each refresh (docs/storage.md, "What each message costs"; the
 * history bench, `npm run bench -- history`, counts them): the head (1); the chunks, which hold the
 * kept messages (`keptMessageBytes` each, the last month's, roughly) and the hot contacts'
 * ledger (`contactBytes` each), 1 unit a KB; deleting the chunks of the generation before that,
 * billed on their size again; one settled-id shard per id dropped (1 unit each while under 1 KB:
 * ASSUMED 1.5 ids a message, its Message-ID and, one time in two, an id it refers to that was never
 * logged); one cold-contact shard per contact that went cold (ASSUMED: past the sixth month, the 20
 * a month no longer written to, 1 unit each). Hot contacts: `hotContacts`. Settled ids and cold
 * contacts already written are not written again.
 */
const refreshWriteUnits = (month: number) => {
  const chunkKb = Math.ceil(checkpointBytes(month) / 1024);
  const idShards = Math.ceil((1.5 * messagesPerUser) / refreshesPerMonth);
  const coldShards = month > 6 ? Math.ceil(20 / refreshesPerMonth) : 0;
  return 1 + 2 * chunkKb + idShards + coldShards;
};
/**
 * Item sizes in bytes by DynamoDB's rules (attribute names and values), measured on real items:
 * `npm run bench -- items` ingests the 127 loggable mails of the shared corpus and the typical 8 KB
 * message and reads back what the store wrote (message: median 583, p90 787, none over 1 KB: the
 * user id and message key are its keys only, and the usual values are left out; Message-ID owners
 * 75, with its expiry; receipt 365); `npm run bench -- digest-send` reads the digest record of a 15-item digest
 * (2,342) and the user profile (206).
 */
const itemBytes = { message: 583, owners: 75, receipt: 365, digestRecord: 2342, userProfile: 206 };
/**
 * Months a digest record is kept: `digestRetentionDays` (functions/adapters/dynamodb/table-design.ts),
 * past the 60 days of records the steered views read. Records written before it have no expiry.
 */
const digestRecordMonths = digestRetentionDays / 30;
/** DynamoDB's storage pricing counts 100 bytes of overhead per item (and index entry). */
const itemOverheadBytes = 100;

// ── what one event costs the functions (measured locally, or labelled as assumed) ────────────────
/**
 * Write request units per logged message, `npm run bench -- items` (mean over 127 corpus mails:
 * 7.00, every message item under 1 KB): PutItem of the receipt and the message, UpdateItem of the Message-ID owners and of the
 * receipt; the receipt's put and update also write the in-progress index entry (GSI1, every
 * attribute projected), which the update removes, and the message's put its `RECENT#` entry (the
 * history listing). Then 2 more once a checkpoint holds the message: the update that settles it
 * (the item, and the index entry it removes). Reads: one BatchGetItem of two items
 * (`npm run bench -- ingest`), eventually consistent: half a unit each.
 */
const wruMeasuredPerMessage = 7.0;
const wruPerMessage = wruMeasuredPerMessage + 2;
const rruPerMessage = 2 * 0.5;
/**
 * Ingest CPU per logged message, `npm run bench -- items`: median 9.75 ms (p90 21.6 ms; 11.1 and
 * 7.7 ms in earlier runs) of one core of the shared two-core build machine, parse, rules and SDK.
 */
const ingestCpuMs = 9.75;
/**
 * Waiting on AWS per ingest, assumed (in-region latencies cannot be measured offline): the S3 GET of
 * the raw mail 25 ms, four DynamoDB round trips of 8 ms after it (the bench's five requests, the
 * first beside the parse), and the S3 DELETE of the raw mail once logged, 15 ms.
 */
const ingestWaitMs = 25 + 4 * 8 + 15;
/** Lambda gives one vCPU at 1,769 MB, and CPU in proportion to memory below it. */
const mbPerVcpu = 1769;
/** Share of ingest invocations that start cold (assumed: mail arrives all day; containers stay warm). */
const coldShare = 0.02;
/**
 * Module load of the ingest bundle at a full core, `npm run bench -- bundle`: 92 ms (docs/deploy.md);
 * Lambda bills the init phase, slower in proportion at less than a vCPU.
 */
const coldLoadMsAtOneVcpu = 92;
/**
 * One digest, `npm run bench -- digest-send` (dynalite in its own process and the SES emulator, a
 * 300-message history, 15 items): 61 ms wall (44 ms in a quieter run); building one over 20,000
 * messages took 2,316 ms (`npm run bench -- digest`): 0.115 ms more per message the digest reads.
 * Counted as CPU at one core, so at the function's memory it is slower by 1,769 MB / memory. The
 * same figures size the fan-out (`digestSending` in infra/constructs/digest-scheduler.ts).
 */
const digestMsAt300 = digestSending.secondsAt300 * 1000;
const digestMsPerMessage = digestSending.secondsPerMessage * 1000;
/**
 * DynamoDB per digest, `npm run bench -- digest-send` (3 Query, 2 GetItem, 1 PutItem, 1 UpdateItem):
 * the digest record put and its update (2,342 bytes: 3 units each), the profile the scheduler
 * updates with the next slot (206 bytes, in both indexes: 3 units); reads: the two GetItem
 * (strongly consistent, 1 unit each), the steers and digests Queries (1 unit each, assumed small),
 * and the message Query, charged on the size of every message item it reads, eventually consistent.
 */
const wruPerDigest = 3 + 3 + 3;
const fixedRruPerDigest = 2 + 2;
/** Billed milliseconds of a scheduler run that finds nobody due (one Get, a few index Queries; assumed). */
const idleRunMs = 100;
/** Bytes logged per invocation: START/END/REPORT lines (~350 B) and one structured line (~250 B). */
const logBytesPerInvocation = 600;
/**
 * The digest queue's event source long-polls the queue while it is empty (assumed: five pollers,
 * one 20-second ReceiveMessage each at a time), billed as SQS requests: $0.40 per million.
 */
const sqsPerRequest = 0.4 / 1_000_000;
const idlePollsPerMonth = 5 * 3 * 60 * 24 * 30;

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
const worker = functionSetting('DigestSchedulerSendDigests');
if (worker.memoryGb !== scheduler.memoryGb)
  throw new Error('the scheduler and the digest worker send digests at different memory sizes');
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
 * Reads of the reply-token keys a month, at most: each scheduler run; each warm ingest container
 * (at most its reserved concurrency) once per cache period of five minutes (replyTokenKeysMaxAgeMs);
 * and, were every digest queued, one per digest worker invocation of ten digests. The unsubscribe
 * function reads them too, once a cold start: a few times a month, left out.
 */
const secretReadsPerMonth = (users: number) =>
  runsPerMonth + ingest.reservedConcurrency * 12 * 24 * 30 + (users * digestsPerUser) / 10;

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
/** Months of message items a user has stored in their `month`-th month. */
const keptMonths = (month: number, horizon: number) => Math.min(month, horizon);
/** What a digest folds: the checkpoint's kept messages (about a month's) and the day's new mail. */
const messagesFolded = messagesPerUser + messagesPerUser / digestsPerUser;
const vcpuShare = (memoryGb: number) => Math.min(1, (memoryGb * 1024) / mbPerVcpu);
const ingestBilledMs = ingestCpuMs / vcpuShare(ingest.memoryGb) + ingestWaitMs;
const coldLoadMs = coldLoadMsAtOneVcpu / vcpuShare(ingest.memoryGb);
const digestMs = (messagesRead: number) =>
  (digestMsAt300 + (messagesRead - 300) * digestMsPerMessage) / vcpuShare(scheduler.memoryGb);
const storedBytesPerMessage = itemBytes.message + itemOverheadBytes;
const ownersBytes = itemBytes.owners + itemOverheadBytes;

const lines = (horizon: number): Line[] => [
  perUser(
    'SES receiving (mails and 256 KB chunks)',
    true,
    messagesPerUser * (sesPerReceivedMail + chunksPerMessage * sesPerReceivedChunk),
  ),
  perUser('S3 PUT of each received mail', true, messagesPerUser * s3PerPut),
  perUser('SES sending of the digests', true, digestsPerUser * sesPerSentMail),
  perUser(
    `Lambda ingest (${ingest.memoryGb * 1024} MB: ${ingestCpuMs} ms CPU measured → ${Math.round(ingestBilledMs)} ms billed; ${coldShare * 100}% cold, ${Math.round(coldLoadMs)} ms init)`,
    false,
    messagesPerUser *
      (lambdaPerRequest +
        ingest.memoryGb *
          ((ingestBilledMs + coldShare * coldLoadMs) / 1000) *
          lambdaArmPerGbSecond),
  ),
  {
    what: `Lambda digests (${scheduler.memoryGb * 1024} MB: ${digestMsAt300} ms measured at 300 messages, +${digestMsPerMessage.toFixed(3)} ms a message read)`,
    floor: false,
    perUser: () =>
      digestsPerUser *
      scheduler.memoryGb *
      (digestMs(messagesFolded) / 1000) *
      lambdaArmPerGbSecond,
  },
  {
    what: `Lambda scheduler runs (${runsPerMonth} a month, ${idleRunMs} ms each assumed, shared)`,
    floor: false,
    perUser: (users) =>
      (runsPerMonth *
        (lambdaPerRequest + scheduler.memoryGb * (idleRunMs / 1000) * lambdaArmPerGbSecond)) /
      users,
  },
  {
    what: 'SQS digest queue (its event source polling while empty, shared)',
    floor: false,
    perUser: (users) => (idlePollsPerMonth * sqsPerRequest) / users,
  },
  perUser(
    `S3 GET of each received mail, and its storage until logged (then deleted; refused mail is kept ${rawMailDays} days)`,
    false,
    messagesPerUser * s3PerGet +
      ((messagesPerUser * messageKb * 1024) / gb) *
        (ingestBilledMs / 1000 / (30 * 86_400)) *
        s3PerGbMonth,
  ),
  perUser(
    `DynamoDB ingest writes and reads (${wruPerMessage.toFixed(2)} WRU a message: ${wruMeasuredPerMessage.toFixed(2)} measured at ingest, 2 to settle it; ${rruPerMessage} RRU)`,
    false,
    messagesPerUser * (wruPerMessage * dynamoPerWru + rruPerMessage * dynamoPerRru),
  ),
  {
    what: `DynamoDB digest writes and reads (${wruPerDigest} WRU; the checkpoint and the ${Math.round(messagesReadPerDigest)} messages since it read, on average)`,
    floor: false,
    perUser: (_users, month) => {
      const messageRru = Math.ceil((messagesReadPerDigest * itemBytes.message) / 4096) * 0.5;
      // The head and its chunks, strongly consistent: 1 unit per 4 KB.
      const checkpointRru = 1 + Math.ceil(checkpointBytes(month) / 4096);
      return (
        digestsPerUser *
        (wruPerDigest * dynamoPerWru +
          (fixedRruPerDigest + messageRru + checkpointRru) * dynamoPerRru)
      );
    },
  },
  {
    what: `DynamoDB checkpoint refresh, ${refreshesPerMonth.toFixed(1)} a month (${refreshWriteUnits(1)} WRU each in month 1, ${refreshWriteUnits(24)} from month 7 on: the head, the hot chunks written and the older ones deleted, the settled-id and cold-contact shards that changed)`,
    floor: false,
    perUser: (_users, month) => refreshesPerMonth * refreshWriteUnits(month) * dynamoPerWru,
  },
  {
    what: `DynamoDB storage${pitr ? ' and PITR' : ''} (${storedBytesPerMessage} B a message kept, its owners item ${ownersBytes} B kept; digest records ${digestRetentionDays} days)`,
    floor: false,
    perUser: (_users, month) => {
      const bytes =
        messagesPerUser * keptMonths(month, horizon) * storedBytesPerMessage +
        // The Message-ID owners item expires the horizon after the message was logged.
        messagesPerUser * Math.min(month, horizon) * ownersBytes +
        // The receipt is kept as long as raw mail is, whatever became of the mail.
        messagesPerUser * (rawMailDays / 30) * (itemBytes.receipt + itemOverheadBytes) +
        digestsPerUser *
          Math.min(month, digestRecordMonths) *
          (itemBytes.digestRecord + itemOverheadBytes) +
        // The checkpoint, and the one it replaced until the next refresh deletes it; its shards.
        2 * (checkpointBytes(month) + itemOverheadBytes) +
        settledAndColdBytes(month) +
        itemBytes.userProfile +
        3 * itemOverheadBytes;
      return (bytes / gb) * (dynamoPerGbMonth + (pitr ? pitrPerGbMonth : 0));
    },
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
    what: `Secrets Manager (${secrets} secret, read by the scheduler, the worker and ingest; the unsubscribe page's few reads left out; shared)`,
    floor: false,
    perUser: (users) =>
      (secrets * secretPerMonth + secretReadsPerMonth(users) * secretPerCall) / users,
  },
];

const columns: { users: number; month: number; horizon: number }[] = [
  { users: 100, month: 1, horizon: messageHorizonMonths },
  { users: 10_000, month: 1, horizon: messageHorizonMonths },
  { users: 10_000, month: 24, horizon: messageHorizonMonths },
];
const money = (n: number) => `$${n.toFixed(5)}`;
const horizonLabel = (h: number) => `${h}-month horizon`;
const header = columns.map(
  (c) => `${c.users.toLocaleString('en-US')} users, month ${c.month}, ${horizonLabel(c.horizon)}`,
);
const template = lines(messageHorizonMonths);
const costOf = (i: number, c: (typeof columns)[number]) =>
  lines(c.horizon)[i]?.perUser(c.users, c.month) ?? 0;
const total = (floor: boolean) =>
  columns.map((c) =>
    template.reduce((sum, l, i) => (l.floor === floor ? sum + costOf(i, c) : sum), 0),
  );
const rows: string[][] = [];
for (const floor of [true, false]) {
  template.forEach((line, i) => {
    if (line.floor === floor) rows.push([line.what, ...columns.map((c) => money(costOf(i, c)))]);
  });
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
  `Per user per month: ${messagesPerUser} logged messages of ${messageKb} KB, ${digestsPerUser} digests (assumed usage); us-east-1 list prices; free tiers not counted.\n`,
);
console.log(`| cost line | ${header.join(' | ')} |`);
console.log(`|---|${header.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
const beyond = total(false)[1] ?? 0;
console.log(
  `\nBeyond the floor at 10,000 users in month 1: ${money(beyond)} (target $0.00300): ${beyond <= 0.003 ? 'met' : 'not met'}.`,
);
