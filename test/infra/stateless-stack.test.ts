import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eachMapping, TraceMap } from '@jridgewell/trace-mapping';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { repoRoot } from '../../infra/repo-paths.ts';
import { deployment } from './context.ts';
import { resolveCrossStackReferences } from './cross-stack.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  Metadata?: Record<string, unknown>;
};
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

const fnJoin = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const partition = { Ref: 'AWS::Partition' };
const region = { Ref: 'AWS::Region' };
const account = { Ref: 'AWS::AccountId' };
const ruleArn = fnJoin(
  'arn:',
  partition,
  ':ses:',
  region,
  ':',
  account,
  ':receipt-rule-set/givefirst-inbound:receipt-rule/givefirst-store-then-ingest',
);

/**
 * The IAM action each SDK command the functions' code makes needs; `null` for a command only the
 * local stack makes (creating the table), which a deployed function never reaches.
 */
const actionOf: Record<string, string | null> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  Query: 'dynamodb:Query',
  BatchGet: 'dynamodb:BatchGetItem',
  BatchWrite: 'dynamodb:BatchWriteItem',
  Scan: 'dynamodb:Scan',
  CreateTable: null,
  DescribeTable: null,
  GetObject: 's3:GetObject',
  // The raw-mail port's `put`: on AWS the receipt rule writes raw mail, and only the CLI's
  // `ingest --aws` calls it, with the operator's credentials.
  PutObject: null,
  DeleteObject: 's3:DeleteObject',
  SendEmail: 'ses:SendEmail',
  GetSecretValue: 'secretsmanager:GetSecretValue',
  SendMessageBatch: 'sqs:SendMessage',
  SendMessage: 'sqs:SendMessage',
  ReceiveMessage: 'sqs:ReceiveMessage',
  DeleteMessage: 'sqs:DeleteMessage',
};

// Synthesised once, with the real esbuild bundles, and asset paths in the template metadata.
describe('GivefirstStateless', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let assemblyDir: string;
  let ids: Record<
    | 'table'
    | 'secret'
    | 'ruleSet'
    | 'sesEvents'
    | 'ingest'
    | 'digest'
    | 'unsubscribe'
    | 'notification'
    | 'ingestQueue'
    | 'queue'
    | 'digestRule'
    | 'digestQueue'
    | 'digestDeadLetters'
    | 'worker'
    | 'alarmTopic',
    string
  >;

  beforeAll(() => {
    const { app, stateful, stateless } = buildApp({
      ...deployment,
      'aws:cdk:enable-asset-metadata': true,
    });
    assemblyDir = app.synth().directory;
    template = Template.fromJSON(
      resolveCrossStackReferences(
        Template.fromStack(stateless),
        Template.fromStack(stateful),
      ) as Record<string, unknown>,
    );
    resources = template.toJSON().Resources;
    const statefulId = (element: unknown) =>
      stateful.getLogicalId((element as { node: { defaultChild: CfnElement } }).node.defaultChild);
    const statelessId = (element: unknown) =>
      stateless.getLogicalId((element as { node: { defaultChild: CfnElement } }).node.defaultChild);
    ids = {
      table: statefulId(stateful.table),
      secret: statefulId(stateful.replyTokenKeys),
      ruleSet: statefulId(stateful.receiptRuleSet),
      sesEvents: statefulId(stateful.sesEvents),
      ingest: statelessId(stateless.ingestFunction),
      digest: statelessId(stateless.digestScheduler.function),
      unsubscribe: statelessId(stateless.unsubscribeFunction),
      notification: statelessId(stateless.sesNotificationFunction),
      ingestQueue: statelessId(stateless.ingestFailures),
      queue: statelessId(stateless.failures),
      digestRule: statelessId(stateless.digestScheduler.rule),
      digestQueue: statelessId(stateless.digestScheduler.queue),
      digestDeadLetters: statelessId(stateless.digestScheduler.deadLetters),
      worker: statelessId(stateless.digestScheduler.worker),
      alarmTopic: statelessId(stateless.alarmTopic),
    };
  });

  const fn = (id: string): Resource => resources[id] as Resource;
  const tableArn = () => ({ 'Fn::GetAtt': [ids.table, 'Arn'] });
  const indexArns = () => [fnJoin(tableArn(), '/index/GSI1'), fnJoin(tableArn(), '/index/GSI2')];
  const rawMailObjects = fnJoin(
    'arn:',
    partition,
    ':s3:::givefirst-raw-mail-',
    account,
    '-',
    region,
    '/inbound/*',
  );
  /** Every statement of the function's role policy (the managed log policy aside). */
  const statementsOf = (functionId: string): Statement[] => {
    const roleRef = (fn(functionId).Properties.Role as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const policies = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleRef }]),
    );
    return policies.flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
  };
  const onFailureTo = (queueId: string) => ({
    OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
  });
  const sqsSend = (queueId: string) => ({
    Effect: 'Allow',
    Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
  });

  describe('every function', () => {
    it('runs Node.js 22 on arm64 from its bundled ESM file, with source maps and its own log group kept a month', () => {
      const functions = Object.entries(resources).filter(
        ([id, r]) =>
          r.Type === 'AWS::Lambda::Function' && !id.startsWith('ActivateReceiptRuleSetActivator'),
      );
      expect(functions).toHaveLength(5);
      for (const [, r] of functions) {
        expect(r.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Environment: {
            Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }),
          },
        });
        const logGroup = (r.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(fn(logGroup).Properties.RetentionInDays).toBe(30);
      }
    });

    it('has its memory, timeout and reserved concurrency set for what it does', () => {
      const settings = (id: string) => {
        const { MemorySize, Timeout, ReservedConcurrentExecutions } = fn(id).Properties;
        return { MemorySize, Timeout, ReservedConcurrentExecutions };
      };
      expect(settings(ids.ingest)).toEqual({
        MemorySize: 256,
        Timeout: 60,
        ReservedConcurrentExecutions: 5,
      });
      expect(settings(ids.digest)).toEqual({
        MemorySize: 1769,
        Timeout: 300,
        ReservedConcurrentExecutions: 1,
      });
      expect(settings(ids.worker)).toEqual({
        MemorySize: 1769,
        Timeout: 60,
        // ceil(14/s SES × 0.926 s a digest).
        ReservedConcurrentExecutions: 13,
      });
      expect(settings(ids.unsubscribe)).toEqual({
        MemorySize: 256,
        Timeout: 10,
        ReservedConcurrentExecutions: 2,
      });
      expect(settings(ids.notification)).toEqual({
        MemorySize: 256,
        Timeout: 30,
        ReservedConcurrentExecutions: 1,
      });
    });

    it('sends its failed asynchronous events to a failure queue', () => {
      const configs = Object.values(resources).filter(
        (r) => r.Type === 'AWS::Lambda::EventInvokeConfig',
      );
      const byFunction = Object.fromEntries(
        configs.map((c) => [(c.Properties.FunctionName as { Ref: string }).Ref, c.Properties]),
      );
      expect(byFunction[ids.ingest]).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: onFailureTo(ids.ingestQueue),
      });
      expect(byFunction[ids.digest]).toMatchObject({
        MaximumRetryAttempts: 0,
        DestinationConfig: onFailureTo(ids.queue),
      });
      expect(byFunction[ids.notification]).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: onFailureTo(ids.queue),
      });
      // The unsubscribe endpoint is invoked synchronously by its URL: no event queue.
      expect(byFunction[ids.unsubscribe]).toBeUndefined();
    });

    it('never gets Scan, batch writes, S3 listing or bucket reads, nor a * resource', () => {
      const text = JSON.stringify(
        Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy'),
      );
      expect(text).not.toMatch(
        /dynamodb:Scan|dynamodb:BatchWrite|dynamodb:\*|s3:List|s3:GetBucket|s3:\*/,
      );
      for (const id of [ids.ingest, ids.digest, ids.worker, ids.unsubscribe, ids.notification]) {
        for (const statement of statementsOf(id)) {
          expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|index\/\*/);
        }
      }
    });
    it('grants each function every AWS call its bundle can make (read from the bundle’s source map)', () => {
      /**
       * The commands in the source lines esbuild kept: a module can be in a bundle for one export
       * while the client it also defines is shaken out (the worker reads digest messages with the
       * queue's module but never sends to it).
       */
      const callsOf = (functionId: string): string[] => {
        const asset = fn(functionId).Metadata?.['aws:asset:path'] as string;
        const mapFile = join(assemblyDir, asset, 'index.mjs.map');
        const map = new TraceMap(readFileSync(mapFile, 'utf8'), pathToFileURL(mapFile).href);
        const kept = new Map<string, Set<number>>();
        eachMapping(map, ({ source, originalLine }) => {
          if (!source?.startsWith('file:')) return;
          const file = fileURLToPath(source);
          if (!file.startsWith(join(repoRoot, 'functions'))) return;
          kept.set(file, (kept.get(file) ?? new Set()).add(originalLine));
        });
        const calls = new Set<string>();
        for (const [file, lines] of kept) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((text, i) => {
              for (const [, command] of text.matchAll(/new (\w+)Command\(/g)) {
                const action = actionOf[command as string];
                if (action === undefined)
                  throw new Error(`${file}: no IAM action known for ${command}Command`);
                if (action && lines.has(i + 1)) calls.add(action);
              }
            });
        }
        return [...calls].sort();
      };
      const granted = (functionId: string) =>
        new Set(statementsOf(functionId).flatMap((s) => [s.Action].flat()));
      const missing = Object.fromEntries(
        [ids.ingest, ids.digest, ids.worker, ids.unsubscribe, ids.notification].map((id) => [
          id,
          callsOf(id).filter((action) => !granted(id).has(action)),
        ]),
      );
      // The store's port classes come whole into a bundle, methods these two never call included.
      expect(missing).toEqual({
        [ids.ingest]: [],
        [ids.digest]: [],
        [ids.worker]: [],
        // Unsubscribing is one UpdateItem (`pauseDigests`).
        [ids.unsubscribe]: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
        ],
        // A bounce finds the user (BatchGetItem, GetItem from an alias) and updates the profile.
        [ids.notification]: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      });
    });
  });

  describe('the ingest function', () => {
    it('gets exactly the environment the handler reads at start: the keys by secret ARN, never the keys', () => {
      expect(fn(ids.ingest).Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          RAW_MAIL_BUCKET: fnJoin('givefirst-raw-mail-', account, '-', region),
          RAW_MAIL_PREFIX: 'inbound/',
          MAIL_DOMAIN: 'log.givefirst.test',
          FROM_ADDRESS: 'digest@givefirst.test',
          CONFIGURATION_SET: 'givefirst',
          REPLY_TOKEN_KEYS_SECRET: { Ref: ids.secret },
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('may use the store on the table and query its indexes by name, read and delete raw mail under inbound/ only, read the keys’ secret and answer replies only as the From address', () => {
      expect(statementsOf(ids.ingest)).toEqual([
        sqsSend(ids.ingestQueue),
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:BatchGetItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          Resource: tableArn(),
        },
        { Effect: 'Allow', Action: 'dynamodb:Query', Resource: indexArns() },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.secret } },
        {
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: [
            fnJoin(
              'arn:',
              partition,
              ':ses:',
              region,
              ':',
              account,
              ':configuration-set/givefirst',
            ),
            fnJoin('arn:', partition, ':ses:', region, ':', account, ':identity/givefirst.test'),
          ],
          Condition: { StringEquals: { 'ses:FromAddress': 'digest@givefirst.test' } },
        },
        {
          Effect: 'Allow',
          Action: ['s3:DeleteObject', 's3:GetObject'],
          Resource: rawMailObjects,
        },
      ]);
    });

    it('is the only function that may delete raw mail (once logged; delete my data, forget), and only under inbound/', () => {
      const deleting = Object.values(resources).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('s3:DeleteObject'),
      );
      expect(deleting).toHaveLength(1);
      expect(
        statementsOf(ids.ingest).filter((s) => JSON.stringify(s.Action).includes('s3:Delete')),
      ).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:DeleteObject', 's3:GetObject'],
          Resource: rawMailObjects,
        },
      ]);
    });

    it('is invocable by SES of this account and for givefirst’s receipt rule only', () => {
      const permissions = Object.values(resources).filter(
        (r) =>
          r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'ses.amazonaws.com',
      );
      expect(permissions.map((p) => p.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          Principal: 'ses.amazonaws.com',
          SourceAccount: account,
          SourceArn: ruleArn,
          FunctionName: { 'Fn::GetAtt': [ids.ingest, 'Arn'] },
        },
      ]);
    });
  });

  describe('the receipt rule', () => {
    it('receives the mail domain, scans it, requires TLS, stores it under inbound/ then invokes the function asynchronously', () => {
      template.resourceCountIs('AWS::SES::ReceiptRule', 1);
      template.hasResourceProperties('AWS::SES::ReceiptRule', {
        RuleSetName: { Ref: ids.ruleSet },
        Rule: {
          Name: 'givefirst-store-then-ingest',
          Enabled: true,
          Recipients: ['log.givefirst.test'],
          ScanEnabled: true,
          TlsPolicy: 'Require',
          Actions: [
            {
              S3Action: {
                BucketName: fnJoin('givefirst-raw-mail-', account, '-', region),
                ObjectKeyPrefix: 'inbound/',
              },
            },
            {
              LambdaAction: {
                FunctionArn: { 'Fn::GetAtt': [ids.ingest, 'Arn'] },
                InvocationType: 'Event',
              },
            },
          ],
        },
      });
    });

    it('is created after the permission SES needs to invoke the function', () => {
      const [rule] = Object.values(template.findResources('AWS::SES::ReceiptRule')) as Resource[];
      const [permissionId] = Object.keys(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { Principal: 'ses.amazonaws.com' },
        }),
      );
      expect(rule?.DependsOn).toContain(permissionId);
    });

    it('is activated by a custom resource after the rule exists, which reads the active set first and may only read and set the active set', () => {
      const activations = Object.entries(
        template.findResources('Custom::ActiveReceiptRuleSet'),
      ) as [string, Resource][];
      expect(activations).toHaveLength(1);
      const [, activation] = activations[0] as [string, Resource];
      const ruleId = Object.keys(template.findResources('AWS::SES::ReceiptRule'))[0];
      expect(activation.DependsOn).toContain(ruleId);
      expect(activation.Properties.RuleSetName).toBe('givefirst-inbound');
      const serviceToken = activation.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] };
      const activatorId = serviceToken['Fn::GetAtt'][0];
      expect(fn(activatorId).Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      const code = (fn(activatorId).Properties.Code as { ZipFile: string }).ZipFile;
      expect(code.indexOf('DescribeActiveReceiptRuleSetCommand({})')).toBeLessThan(
        code.indexOf('SetActiveReceiptRuleSetCommand({ RuleSetName: ours })'),
      );
      expect(statementsOf(activatorId)).toEqual([
        {
          Effect: 'Allow',
          Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
          Resource: '*',
        },
      ]);
    });

    it('puts the set it replaced, what it did and what a delete will do into stack outputs', () => {
      const [activationId] = Object.keys(template.findResources('Custom::ActiveReceiptRuleSet'));
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs.PreviousReceiptRuleSet?.Value).toEqual({
        'Fn::GetAtt': [activationId, 'PreviousActiveRuleSet'],
      });
      expect(JSON.stringify(outputs.ReceiptRuleSetActivation?.Value)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [activationId, 'Activation'] }),
      );
      expect(JSON.stringify(outputs.ReceiptRuleSetOnDelete?.Value)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [activationId, 'OnDelete'] }),
      );
    });
  });

  describe('the digest scheduler', () => {
    it('gets exactly the environment the handler reads at start: the keys by secret ARN, never the keys', () => {
      expect(fn(ids.digest).Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          MAIL_DOMAIN: 'log.givefirst.test',
          FROM_ADDRESS: 'digest@givefirst.test',
          CONFIGURATION_SET: 'givefirst',
          PUBLIC_URL: {
            'Fn::GetAtt': [expect.stringMatching(/^UnsubscribeFunctionUrl/), 'FunctionUrl'],
          },
          REPLY_TOKEN_KEYS_SECRET: { Ref: ids.secret },
          // 0.8 × 300 s × min(14/s SES, 1 / 0.926 s a digest of 7,800 messages): docs/deploy.md.
          INLINE_DIGEST_LIMIT: '259',
          // 1,000 ms / 14 sends a second: the scheduler alone takes SES's whole rate.
          SES_SEND_INTERVAL_MS: '72',
          DIGEST_QUEUE_URL: { Ref: ids.digestQueue },
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('runs at the start of every 15-minute slot, retrying delivery twice', () => {
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0/15 * * * ? *)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [ids.digest, 'Arn'] },
            Id: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ids.digestRule, 'Arn'] },
        FunctionName: { 'Fn::GetAtt': [ids.digest, 'Arn'] },
      });
    });

    it('may use the store, read the keys’ secret, send only as the From address through its identity and configuration set, and only send messages to the digest queue', () => {
      expect(statementsOf(ids.digest)).toEqual([
        sqsSend(ids.queue),
        expect.objectContaining({
          Action: expect.arrayContaining(['dynamodb:PutItem']),
          Resource: tableArn(),
        }),
        { Effect: 'Allow', Action: 'dynamodb:Query', Resource: indexArns() },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.secret } },
        {
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: [
            fnJoin(
              'arn:',
              partition,
              ':ses:',
              region,
              ':',
              account,
              ':configuration-set/givefirst',
            ),
            fnJoin('arn:', partition, ':ses:', region, ':', account, ':identity/givefirst.test'),
          ],
          Condition: { StringEquals: { 'ses:FromAddress': 'digest@givefirst.test' } },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [ids.digestQueue, 'Arn'] },
        },
      ]);
    });

    it('shares sending only with its digest worker and the ingest function (answers to reply commands)', () => {
      const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
      const sending = policies.filter(([, p]) => JSON.stringify(p).includes('ses:Send'));
      expect(sending.map(([id]) => id).sort()).toEqual([
        expect.stringMatching(/^DigestSchedulerScheduleDigestsServiceRole/),
        expect.stringMatching(/^DigestSchedulerSendDigestsServiceRole/),
        expect.stringMatching(/^IngestEmailServiceRole/),
      ]);
    });
  });

  describe('the digest queue and its worker', () => {
    it('is an encrypted, TLS-only queue whose messages outlast six worker timeouts of visibility, dead-lettered after three receipts', () => {
      expect(fn(ids.digestQueue).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 360,
        MessageRetentionPeriod: 24 * 3600,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [ids.digestDeadLetters, 'Arn'] },
          maxReceiveCount: 3,
        },
      });
      expect(fn(ids.digestQueue).Properties.VisibilityTimeout).toBeGreaterThan(
        fn(ids.worker).Properties.Timeout as number,
      );
    });

    it('feeds the worker ten messages a batch, never more workers at once than are reserved, reporting each failed message alone', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [ids.digestQueue, 'Arn'] },
        FunctionName: { Ref: ids.worker },
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 13 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('gets the digest environment, paced to its share of SES’s rate, without the scheduler’s fan-out settings', () => {
      expect(fn(ids.worker).Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          MAIL_DOMAIN: 'log.givefirst.test',
          FROM_ADDRESS: 'digest@givefirst.test',
          CONFIGURATION_SET: 'givefirst',
          PUBLIC_URL: {
            'Fn::GetAtt': [expect.stringMatching(/^UnsubscribeFunctionUrl/), 'FunctionUrl'],
          },
          REPLY_TOKEN_KEYS_SECRET: { Ref: ids.secret },
          // Thirteen workers share 14 sends a second: one send each 929 ms.
          SES_SEND_INTERVAL_MS: '929',
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('may receive and delete from the digest queue only, use the store, read the keys’ secret and send only as the From address', () => {
      const statements = statementsOf(ids.worker);
      const queueStatements = statements.filter((st) => JSON.stringify(st.Action).includes('sqs:'));
      expect(queueStatements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
            'sqs:ReceiveMessage',
          ],
          Resource: { 'Fn::GetAtt': [ids.digestQueue, 'Arn'] },
        },
      ]);
      const others = (id: string) =>
        statementsOf(id).filter((st) => !JSON.stringify(st.Action).includes('sqs:'));
      expect(others(ids.worker)).toEqual(others(ids.digest));
    });

    it('is the only function that reads the digest queue, and the scheduler the only one that writes it', () => {
      const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
      const naming = policies.filter(([, p]) => JSON.stringify(p).includes(`"${ids.digestQueue}"`));
      expect(naming.map(([id]) => id).sort()).toEqual([
        expect.stringMatching(/^DigestSchedulerScheduleDigestsServiceRole/),
        expect.stringMatching(/^DigestSchedulerSendDigestsServiceRole/),
      ]);
    });
  });

  describe('the one-click unsubscribe endpoint', () => {
    it('is a public HTTPS function URL, buffered, and its URL is printed', () => {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        InvokeMode: 'BUFFERED',
        TargetFunctionArn: { 'Fn::GetAtt': [ids.unsubscribe, 'Arn'] },
        Cors: Match.absent(),
      });
      expect(template.toJSON().Outputs.UnsubscribeUrl.Value).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^UnsubscribeFunctionUrl/), 'FunctionUrl'],
      });
    });

    it('gets the table and the keys’ secret, and may only update an item and read the secret', () => {
      expect(fn(ids.unsubscribe).Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          REPLY_TOKEN_KEYS_SECRET: { Ref: ids.secret },
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
      expect(statementsOf(ids.unsubscribe)).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: tableArn() },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.secret } },
      ]);
    });
  });

  describe('outputs', () => {
    it('name what an operator and the CLI need to reach the deployment', () => {
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(Object.keys(outputs).sort()).toEqual([
        'DigestDeadLettersQueueUrl',
        'DigestFunctionName',
        'DigestLogGroup',
        'DigestQueueUrl',
        'FailuresQueueUrl',
        'FromAddress',
        'IngestFailuresQueueUrl',
        'IngestFunctionName',
        'IngestLogGroup',
        'MailDomain',
        'PreviousReceiptRuleSet',
        'ReceiptRuleSetActivation',
        'ReceiptRuleSetOnDelete',
        'UnsubscribeUrl',
      ]);
      expect(outputs.MailDomain?.Value).toBe('log.givefirst.test');
      expect(outputs.FromAddress?.Value).toBe('digest@givefirst.test');
      expect(outputs.IngestFailuresQueueUrl?.Value).toEqual({ Ref: ids.ingestQueue });
      expect(outputs.FailuresQueueUrl?.Value).toEqual({ Ref: ids.queue });
    });
  });

  describe('the bounce and complaint handler', () => {
    it('is subscribed to the configuration set’s events topic', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: ids.sesEvents },
        Endpoint: { 'Fn::GetAtt': [ids.notification, 'Arn'] },
      });
    });

    it('may only look a user up and update them', () => {
      expect(statementsOf(ids.notification)).toEqual([
        sqsSend(ids.queue),
        {
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Resource: tableArn(),
        },
      ]);
    });
  });

  describe('failures and alarms', () => {
    it('keep failed events 14 days in encrypted queues that refuse plain-text requests', () => {
      for (const id of [ids.ingestQueue, ids.queue, ids.digestDeadLetters]) {
        expect(fn(id).Properties).toMatchObject({
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        });
      }
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      expect(policies).toHaveLength(4);
      for (const policy of policies) {
        expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
      }
    });

    it('notify one topic, subscribed by email to the alarm address', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@givefirst.test',
        TopicArn: { Ref: ids.alarmTopic },
      });
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(7);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: ids.alarmTopic }]);
      }
    });

    it.each([
      ['ingest failures', 'ingestQueue'],
      ['scheduler and notification failures', 'queue'],
      ['queued digests that failed three times', 'digestDeadLetters'],
    ] as const)('raise an alarm as soon as one of the %s waits in its queue', (_what, queue) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids[queue], 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('raise an alarm when two scheduler runs in a row fail', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.digest } }],
        Period: 900,
        Threshold: 1,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
    });

    it('raise an alarm when the scheduler has not run for 30 minutes, no data counting as not run', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.digest } }],
        Period: 1800,
        Statistic: 'Sum',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'breaching',
      });
    });

    it.each([
      ['Bounce', 2],
      ['Complaint', 0.05],
    ])(
      'raise an alarm when the %s rate of the configuration set reaches %s%%',
      (event, percent) => {
        const count = (metricName: string) => ({
          Metric: {
            Namespace: 'AWS/SES',
            MetricName: metricName,
            Dimensions: [{ Name: 'ses:configuration-set', Value: 'givefirst' }],
          },
          Period: 21600,
          Stat: 'Sum',
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Threshold: percent,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Metrics: [
            { Id: 'expr_1', Expression: 'IF(sent > 0, 100 * events / sent, 0)', ReturnData: true },
            { Id: 'events', MetricStat: count(event), ReturnData: false },
            { Id: 'sent', MetricStat: count('Send'), ReturnData: false },
          ],
        });
      },
    );
  });

  describe('the bundles', () => {
    const bundle = (id: string) => {
      const assetPath = fn(id).Metadata?.['aws:asset:path'];
      expect(assetPath).toMatch(/^asset\.[0-9a-f]{64}$/);
      return (name: string) => join(assemblyDir, assetPath as string, name);
    };
    const code = (id: string) => readFileSync(bundle(id)('index.mjs'), 'utf8');

    it('are each one ESM file that defines require for CommonJS dependencies, with its source map', () => {
      for (const id of [ids.ingest, ids.digest, ids.unsubscribe, ids.notification]) {
        expect(
          code(id).startsWith(
            "import { createRequire as __givefirstCreateRequire } from 'node:module';",
          ),
        ).toBe(true);
        expect(existsSync(bundle(id)('index.mjs.map'))).toBe(true);
      }
    });

    it('contain the AWS SDK instead of importing the runtime one', () => {
      // Static and dynamic imports only: the SDK's error messages quote require("@aws-sdk/...").
      const ingest = code(ids.ingest);
      expect(
        ingest.match(/from\s*["']@aws-sdk\/[^"']+|import\(\s*["']@aws-sdk\/[^"']+/g),
      ).toBeNull();
      expect(ingest).toContain('GetObjectCommand');
    });

    it('carry only the clients their handler makes', () => {
      const sesV2 = 'SimpleEmailService_v2';
      const secrets = 'secretsmanager';
      expect(code(ids.ingest)).toContain(sesV2);
      expect(code(ids.ingest)).toContain(secrets);
      expect(code(ids.digest)).toContain(sesV2);
      expect(code(ids.digest)).toContain(secrets);
      expect(code(ids.digest)).not.toContain('GetObjectCommand');
      expect(code(ids.unsubscribe)).not.toContain(sesV2);
      expect(code(ids.notification)).not.toContain(secrets);
    });

    it('keep beside the ingest bundle, and load on first use, what a plain logged message never needs', () => {
      const ingest = bundle(ids.ingest);
      expect(readdirSync(ingest('beside')).sort()).toEqual([
        'chrono-node.cjs',
        'encoding-japanese.cjs',
        'html-to-text.cjs',
        'mail-composer.cjs',
        'tldts.cjs',
      ]);
      for (const left of ['baseElements', 'blogspot', 'SJIS', 'keepBcc']) {
        expect(code(ids.ingest)).not.toContain(left);
      }
      const beside = createRequire(ingest('index.mjs'));
      expect(beside('./beside/html-to-text.cjs').htmlToText('<p>Hi <b>there</b></p>')).toBe(
        'Hi there',
      );
      expect(
        beside('./beside/tldts.cjs').getDomain('mail.alice.github.io', {
          allowPrivateDomains: true,
        }),
      ).toBe('alice.github.io');
      const [date] = beside('./beside/chrono-node.cjs').de.casual.parse('am 3. März 2026 um 10:15');
      expect(date.start.get('month')).toBe(3);
      expect(date.start.get('hour')).toBe(10);
      for (const id of [ids.digest, ids.unsubscribe, ids.notification]) {
        expect(existsSync(bundle(id)('beside'))).toBe(false);
      }
    });
  });
});
