import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { resolveCrossStackReferences } from './cross-stack.ts';

type Resource = {
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  Metadata?: Record<string, unknown>;
};

// Synthesised once, with the real esbuild bundle, and asset paths in the template metadata.
describe('GivefirstStateless', () => {
  let template: Template;
  let statefulTemplate: Template;
  let assemblyDir: string;
  let ids: {
    table: string;
    bucket: string;
    ruleSet: string;
    fn: string;
    queue: string;
    logGroup: string;
    digestFn: string;
    digestLogGroup: string;
    digestRule: string;
  };

  beforeAll(() => {
    const { app, stateful, stateless } = buildApp({
      mailDomain: 'log.givefirst.test',
      publicUrl: 'https://givefirst.test/app/',
      'aws:cdk:enable-asset-metadata': true,
    });
    assemblyDir = app.synth().directory;
    statefulTemplate = Template.fromStack(stateful);
    template = Template.fromJSON(
      resolveCrossStackReferences(Template.fromStack(stateless), statefulTemplate) as Record<
        string,
        unknown
      >,
    );
    const statefulId = (element: unknown) => stateful.getLogicalId(element as CfnElement);
    const statelessId = (element: unknown) => stateless.getLogicalId(element as CfnElement);
    ids = {
      table: statefulId(stateful.table.node.defaultChild),
      bucket: statefulId(stateful.rawMailBucket.node.defaultChild),
      ruleSet: statefulId(stateful.receiptRuleSet.node.defaultChild),
      fn: statelessId(stateless.ingestFunction.node.defaultChild),
      queue: statelessId(stateless.ingestFailures.node.defaultChild),
      logGroup: statelessId(stateless.ingestFunction.logGroup.node.defaultChild),
      digestFn: statelessId(stateless.digestScheduler.function.node.defaultChild),
      digestLogGroup: statelessId(stateless.digestScheduler.function.logGroup.node.defaultChild),
      digestRule: statelessId(stateless.digestScheduler.rule.node.defaultChild),
    };
  });

  const ingestFunction = (): Resource => template.toJSON().Resources[ids.fn] as Resource;
  const digestFunction = (): Resource => template.toJSON().Resources[ids.digestFn] as Resource;

  describe('the ingest function', () => {
    it('runs Node.js 22 on arm64 with 1 GB and 60 s, from the bundled ESM file', () => {
      expect(ingestFunction().Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Timeout: 60,
        Handler: 'index.handler',
      });
    });

    it('gets exactly the environment the handler reads at start, and source maps', () => {
      expect(ingestFunction().Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          RAW_MAIL_BUCKET: { Ref: ids.bucket },
          RAW_MAIL_PREFIX: 'inbound/',
          MAIL_DOMAIN: 'log.givefirst.test',
          REPLY_TOKEN_KEYS: '{{resolve:secretsmanager:givefirst/reply-token-keys:SecretString:::}}',
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('may read and write the table and its indexes, and read raw mail under inbound/', () => {
      const tableArn = { 'Fn::GetAtt': [ids.table, 'Arn'] };
      const bucketArn = { 'Fn::GetAtt': [ids.bucket, 'Arn'] };
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^IngestEmailServiceRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: Match.arrayWith([
                'dynamodb:DeleteItem',
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:Query',
                'dynamodb:UpdateItem',
              ]),
              Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }],
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: Match.arrayWith(['s3:GetObject*']),
              Resource: Match.arrayWith([{ 'Fn::Join': ['', [bucketArn, '/inbound/*']] }]),
            }),
          ]),
        },
      });
    });

    it('may send mail only as digest@D (answers to reply commands)', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^IngestEmailServiceRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Condition: { StringEquals: { 'ses:FromAddress': 'digest@log.givefirst.test' } },
            }),
          ]),
        },
      });
    });

    it('may not write raw mail', () => {
      const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      expect(policies).not.toMatch(/s3:PutObject|s3:DeleteObject|s3:\*/);
    });

    it('logs to its own log group, kept one month', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      expect(ingestFunction().Properties.LoggingConfig).toEqual({
        LogGroup: { Ref: ids.logGroup },
      });
    });

    it('is invocable by SES of this account only', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
      });
    });
  });

  describe('the digest scheduler', () => {
    it('runs Node.js 22 on arm64, from the bundled ESM file, for up to 5 minutes', () => {
      expect(digestFunction().Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 300,
      });
    });

    it('gets exactly the environment the handler reads at start, the keys as a secret reference', () => {
      expect(digestFunction().Properties.Environment).toEqual({
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          MAIL_DOMAIN: 'log.givefirst.test',
          PUBLIC_URL: 'https://givefirst.test/app',
          REPLY_TOKEN_KEYS: '{{resolve:secretsmanager:givefirst/reply-token-keys:SecretString:::}}',
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    });

    it('holds no reply-token key: no secret resource, no key material in either template', () => {
      const texts = [JSON.stringify(template.toJSON()), JSON.stringify(statefulTemplate.toJSON())];
      for (const text of texts) {
        expect(text).not.toMatch(/signWith|"keys"/);
        expect(text).not.toContain('AWS::SecretsManager::Secret');
        // Every mention of Secrets Manager is a dynamic reference CloudFormation resolves at deploy.
        const mentions = text.match(/[^"]*secretsmanager[^"]*/g) ?? [];
        for (const mention of mentions) expect(mention).toMatch(/^\{\{resolve:secretsmanager:/);
      }
    });

    it('runs at the start of every 15-minute slot, retrying delivery twice', () => {
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0/15 * * * ? *)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [ids.digestFn, 'Arn'] },
            Id: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
          },
        ],
      });
    });

    it('is invocable by that rule only, and a failed run is left to the next one', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ids.digestRule, 'Arn'] },
        FunctionName: { 'Fn::GetAtt': [ids.digestFn, 'Arn'] },
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: ids.digestFn },
        MaximumRetryAttempts: 0,
      });
    });

    it('may read and write the table and its indexes, and send only as digest@ the domain', () => {
      const tableArn = { 'Fn::GetAtt': [ids.table, 'Arn'] };
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^DigestSchedulerScheduleDigestsServiceRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Allow',
              Action: Match.arrayWith([
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:Query',
                'dynamodb:UpdateItem',
              ]),
              Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }],
            }),
            {
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':ses:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':identity/*',
                  ],
                ],
              },
              Condition: { StringEquals: { 'ses:FromAddress': 'digest@log.givefirst.test' } },
            },
          ],
        },
      });
    });

    it('shares sending only with the ingest function (answers to reply commands), and may not touch raw mail', () => {
      const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
      const sending = policies.filter(([, p]) => JSON.stringify(p).includes('ses:Send'));
      expect(sending.map(([id]) => id).sort()).toEqual([
        expect.stringMatching(/^DigestSchedulerScheduleDigestsServiceRole/),
        expect.stringMatching(/^IngestEmailServiceRole/),
      ]);
      const digestPolicy = JSON.stringify(
        sending.find(([id]) => id.startsWith('DigestScheduler'))?.[1],
      );
      expect(digestPolicy).not.toMatch(/"s3:/);
    });

    it('logs to its own log group, kept one month', () => {
      expect(digestFunction().Properties.LoggingConfig).toEqual({
        LogGroup: { Ref: ids.digestLogGroup },
      });
      expect(template.toJSON().Resources[ids.digestLogGroup].Properties.RetentionInDays).toBe(30);
    });

    it('raises an alarm when two runs in a row fail', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.digestFn } }],
        Period: 900,
        Threshold: 1,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
    });

    it('is bundled with the SES v2 client and without S3', () => {
      const assetPath = digestFunction().Metadata?.['aws:asset:path'];
      const code = readFileSync(join(assemblyDir, assetPath as string, 'index.mjs'), 'utf8');
      expect(code).toContain('SimpleEmailService_v2');
      expect(code).not.toContain('GetObjectCommand');
    });
  });

  describe('failures', () => {
    it('retry twice, then go to an encrypted queue that keeps them 14 days', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: ids.fn },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    });

    it('raise an alarm as soon as one message waits in the queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('the receipt rule', () => {
    it('receives the mail domain, scans it, requires TLS, stores it under inbound/ then invokes the function asynchronously', () => {
      template.resourceCountIs('AWS::SES::ReceiptRule', 1);
      template.hasResourceProperties('AWS::SES::ReceiptRule', {
        RuleSetName: { Ref: ids.ruleSet },
        Rule: {
          Enabled: true,
          Recipients: ['log.givefirst.test'],
          ScanEnabled: true,
          TlsPolicy: 'Require',
          Actions: [
            { S3Action: { BucketName: { Ref: ids.bucket }, ObjectKeyPrefix: 'inbound/' } },
            {
              LambdaAction: {
                FunctionArn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
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
      expect(permissionId).toBeDefined();
      expect(rule?.DependsOn).toContain(permissionId);
    });
  });

  describe('the bundle', () => {
    const bundleFile = (name: string) => {
      const assetPath = ingestFunction().Metadata?.['aws:asset:path'];
      expect(assetPath).toMatch(/^asset\.[0-9a-f]{64}$/);
      return join(assemblyDir, assetPath as string, name);
    };

    it('is one ESM file that defines require for CommonJS dependencies, with its source map', () => {
      const code = readFileSync(bundleFile('index.mjs'), 'utf8');
      expect(
        code.startsWith("import { createRequire as __givefirstCreateRequire } from 'node:module';"),
      ).toBe(true);
      expect(existsSync(bundleFile('index.mjs.map'))).toBe(true);
    });

    it('contains the AWS SDK instead of importing the runtime one', () => {
      const code = readFileSync(bundleFile('index.mjs'), 'utf8');
      // Static and dynamic imports only: the SDK's error messages quote require("@aws-sdk/...").
      const sdkImports = code.match(/from\s*["']@aws-sdk\/[^"']+|import\(\s*["']@aws-sdk\/[^"']+/g);
      expect(sdkImports).toBeNull();
      expect(code).toContain('GetObjectCommand');
    });
  });
});
