import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';

// The stateful stack needs no bundle: skip esbuild for every stack.
const skipBundling = { 'aws:cdk:bundling-stacks': [] };

describe('GivefirstStateful', () => {
  let template: Template;

  beforeAll(() => {
    const { stateful } = buildApp({
      ...skipBundling,
      mailDomain: 'log.givefirst.test',
      publicUrl: 'https://givefirst.test',
    });
    template = Template.fromStack(stateful);
  });

  describe('the table', () => {
    it('has the keys and indexes the code spells, all strings', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'GSI2',
            KeySchema: [
              { AttributeName: 'GSI2PK', KeyType: 'HASH' },
              { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
      const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
      const attributes = table?.Properties.AttributeDefinitions as {
        AttributeName: string;
        AttributeType: string;
      }[];
      expect(attributes.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort()).toEqual([
        'GSI1PK:S',
        'GSI1SK:S',
        'GSI2PK:S',
        'GSI2SK:S',
        'PK:S',
        'SK:S',
      ]);
    });

    it('is on-demand, with point-in-time recovery and expiresAt as TTL', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('is retained when the stack is deleted or the table replaced', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('the raw-mail bucket', () => {
    it('is encrypted, unversioned and blocks all public access', () => {
      template.resourceCountIs('AWS::S3::Bucket', 1);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: Match.absent(),
      });
    });

    it('expires raw mail under inbound/ after 14 days', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 14, Status: 'Enabled' }),
          ]),
        },
      });
    });

    it('refuses requests without TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('lets SES of this account, and only it, put objects under inbound/', () => {
      const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*']] },
            },
          ]),
        },
      });
    });
  });

  describe('the receipt rule set', () => {
    it('has the fixed name the operator activates, and says how', () => {
      template.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
        RuleSetName: 'givefirst-inbound',
      });
      template.hasOutput('ActivateReceiptRuleSet', {
        Value: {
          'Fn::Join': [
            '',
            [
              'aws ses set-active-receipt-rule-set --rule-set-name givefirst-inbound --region ',
              { Ref: 'AWS::Region' },
            ],
          ],
        },
      });
    });
  });
});
