import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { deployment, skipBundling } from './context.ts';

const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const region = { Ref: 'AWS::Region' };
const account = { Ref: 'AWS::AccountId' };

describe('GivefirstStateful', () => {
  let template: Template;

  beforeAll(() => {
    // The stateful stack needs no bundle.
    const { stateful } = buildApp({ ...skipBundling, ...deployment });
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

    it('is retained when the stack is deleted or the table replaced, and protected from deletion', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
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

    it('lets SES, for this account and the givefirst receipt rule only, put objects under inbound/', () => {
      const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'SesReceiptRulePutsRawMail',
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': account,
                  'aws:SourceArn': join(
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':ses:',
                    region,
                    ':',
                    account,
                    ':receipt-rule-set/givefirst-inbound:receipt-rule/givefirst-store-then-ingest',
                  ),
                },
              },
              Resource: join({ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*'),
            },
          ]),
        },
      });
    });

    it('allows nothing else: no other Allow statement, no other principal', () => {
      const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy'));
      const statements = policy?.Properties.PolicyDocument.Statement as { Effect: string }[];
      expect(statements.filter((s) => s.Effect === 'Allow')).toHaveLength(1);
    });

    it('has the fixed name the stateless stack grants on', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: join('givefirst-raw-mail-', account, '-', region),
      });
    });
  });

  describe('the receipt rule set', () => {
    it('has the fixed name the rule and the bucket policy name', () => {
      template.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
        RuleSetName: 'givefirst-inbound',
      });
    });
  });

  describe('the reply-token keys', () => {
    it('are generated inside Secrets Manager, retained, and never written in the template', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: {
          Name: 'givefirst/reply-token-keys',
          Description: Match.anyValue(),
          GenerateSecretString: {
            SecretStringTemplate: '{"signWith":1}',
            GenerateStringKey: 'key1',
            PasswordLength: 44,
            ExcludePunctuation: true,
            IncludeSpace: false,
          },
          Tags: Match.anyValue(),
        },
      });
      expect(JSON.stringify(template.toJSON())).not.toMatch(/"SecretString"|"key1":/);
    });
  });

  describe('sending', () => {
    it('verifies the From domain with Easy DKIM and a custom MAIL FROM, in the configuration set', () => {
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'givefirst.test',
        MailFromAttributes: { MailFromDomain: 'mail.givefirst.test' },
        ConfigurationSetAttributes: {
          ConfigurationSetName: { Ref: Match.stringLikeRegexp('^ConfigurationSet') },
        },
        DkimSigningAttributes: Match.absent(),
      });
    });

    it('verifies the inbound domain too, when it is not the From domain', () => {
      template.resourceCountIs('AWS::SES::EmailIdentity', 2);
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'log.givefirst.test',
      });
    });

    it('publishes bounces and complaints to SNS, and send, bounce and complaint counts to CloudWatch', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: 'givefirst',
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
      const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
          SnsDestination: { TopicARN: { Ref: topicId } },
        },
      });
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['send', 'bounce', 'complaint'],
          CloudWatchDestination: {
            DimensionConfigurations: [
              {
                DimensionName: 'ses:configuration-set',
                DimensionValueSource: 'messageTag',
                DefaultDimensionValue: 'givefirst',
              },
            ],
          },
        },
      });
    });

    it('lets only SES publish to the events topic, for this configuration set, over TLS', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'AWS:SourceAccount': account,
                  'AWS:SourceArn': Match.anyValue(),
                },
              },
            }),
          ],
        },
      });
    });
  });

  describe('the DNS records, printed as outputs', () => {
    const outputValue = (name: string) => template.toJSON().Outputs[name]?.Value;

    it('point the inbound MX at SES receiving in the stack region', () => {
      expect(outputValue('DnsInboundMx')).toEqual(
        join('log.givefirst.test MX 10 inbound-smtp.', region, '.amazonaws.com'),
      );
    });

    it('give three Easy DKIM CNAMEs for each domain', () => {
      const identity = (domain: string) =>
        Object.entries(template.findResources('AWS::SES::EmailIdentity')).find(
          ([, r]) => r.Properties.EmailIdentity === domain,
        )?.[0];
      for (const [prefix, domain] of [
        ['DnsDkimSending', 'givefirst.test'],
        ['DnsDkimInbound', 'log.givefirst.test'],
      ] as const) {
        for (const n of [1, 2, 3]) {
          expect(outputValue(`${prefix}${n}`)).toEqual(
            join({ 'Fn::GetAtt': [identity(domain), `DkimDNSTokenName${n}`] }, ' CNAME ', {
              'Fn::GetAtt': [identity(domain), `DkimDNSTokenValue${n}`],
            }),
          );
        }
      }
    });

    it('give the MAIL FROM MX and SPF, and DMARC for the From domain', () => {
      expect(outputValue('DnsMailFromMx')).toEqual(
        join('mail.givefirst.test MX 10 feedback-smtp.', region, '.amazonses.com'),
      );
      expect(outputValue('DnsMailFromSpf')).toBe(
        'mail.givefirst.test TXT "v=spf1 include:amazonses.com ~all"',
      );
      expect(outputValue('DnsDmarc')).toBe('_dmarc.givefirst.test TXT "v=DMARC1; p=none;"');
    });
  });
});
