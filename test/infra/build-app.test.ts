import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { defaultStackPrefix, wantedOutputs } from '../../functions/cli/aws-connect.ts';
import { buildApp } from '../../infra/build-app.ts';
import { deployment, skipBundling } from './context.ts';

describe('buildApp', () => {
  it('names the stacks and outputs that `givefirst --aws` looks for', () => {
    const { stateful, stateless } = buildApp({ ...skipBundling, ...deployment });

    for (const [stack, part] of [
      [stateful, 'Stateful'],
      [stateless, 'Stateless'],
    ] as const) {
      expect(stack.stackName).toBe(`${defaultStackPrefix}${part}`);
      expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toEqual(
        expect.arrayContaining([...wantedOutputs[part]]),
      );
    }
  });

  it('receives mail for the domain given in context and sends from the address given, lower-cased', () => {
    const { stateful, stateless } = buildApp({
      ...skipBundling,
      ...deployment,
      mailDomain: 'Log.Example.ORG',
      fromAddress: 'Digest@Example.ORG',
    });

    const template = Template.fromStack(stateless);

    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Recipients: ['log.example.org'] }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAIL_DOMAIN: 'log.example.org',
          FROM_ADDRESS: 'digest@example.org',
        }),
      },
    });
    Template.fromStack(stateful).hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
    });
  });

  it('refuses to synthesise without the context, naming every missing value and the command', () => {
    expect(() => buildApp(skipBundling)).toThrow(
      /^Missing context: mailDomain, fromAddress, alarmEmail\. .*\n {2}npx cdk deploy --all -c mailDomain=/,
    );
    expect(() => buildApp({ ...skipBundling, mailDomain: 'in.example.org' })).toThrow(
      /^Missing context: fromAddress, alarmEmail\./,
    );
  });

  it.each([
    ['mailDomain', '', /mailDomain must be a domain name/],
    ['mailDomain', 'example', /mailDomain must be a domain name/],
    ['mailDomain', 'log@example.org', /mailDomain must be a domain name/],
    ['mailDomain', 'https://example.org', /mailDomain must be a domain name/],
    ['fromAddress', 'example.org', /fromAddress must be an email address/],
    ['fromAddress', 'givefirst <digest@example.org>', /fromAddress must be an email address/],
    ['alarmEmail', 'ops@', /alarmEmail must be an email address/],
    ['alarmEmail', 42, /alarmEmail must be an email address .*, got 42/],
  ])('refuses %s=%j', (name, value, message) => {
    expect(() => buildApp({ ...skipBundling, ...deployment, [name]: value })).toThrow(message);
  });

  it('lets the digest go to the sandbox recipients given, and to nobody else', () => {
    const { stateless } = buildApp({
      ...skipBundling,
      ...deployment,
      sandboxRecipients: 'Me@Example.org,you@example.org',
    });

    const identity = (name: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:identity/${name}`,
        ],
      ],
    });
    Template.fromStack(stateless).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendEmail',
            Resource: [
              Match.anyValue(),
              identity('givefirst.test'),
              identity('me@example.org'),
              identity('you@example.org'),
            ],
          }),
        ]),
      },
    });
    expect(() =>
      buildApp({ ...skipBundling, ...deployment, sandboxRecipients: 'me@example.org,' }),
    ).toThrow(/sandboxRecipients must be email addresses separated by commas/);
  });

  it('refuses a mail domain that is the From domain’s MAIL FROM domain (their MX records would clash)', () => {
    expect(() =>
      buildApp({
        ...skipBundling,
        ...deployment,
        mailDomain: 'mail.example.org',
        fromAddress: 'digest@example.org',
      }),
    ).toThrow(/mailDomain must not be mail\.example\.org: .*custom MAIL FROM/);
  });

  it('synthesises the stateless stack after the stateful one', () => {
    const { stateful, stateless } = buildApp({ ...skipBundling, ...deployment });

    expect(stateless.dependencies).toContain(stateful);
  });

  it('tags every resource that takes tags with the project', () => {
    const { stateful, stateless } = buildApp({ ...skipBundling, ...deployment });

    // Resource types CloudFormation gives no Tags property.
    const untaggable = new Set([
      'AWS::IAM::Policy',
      'AWS::Lambda::Permission',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::Url',
      'AWS::S3::BucketPolicy',
      'AWS::SQS::QueuePolicy',
      'AWS::SNS::TopicPolicy',
      'AWS::SNS::Subscription',
      'AWS::SES::ReceiptRule',
      'AWS::SES::ReceiptRuleSet',
      'AWS::SES::ConfigurationSetEventDestination',
      'Custom::ActiveReceiptRuleSet',
    ]);
    const untagged: string[] = [];
    for (const stack of [stateful, stateless]) {
      const resources = Template.fromStack(stack).toJSON().Resources as Record<
        string,
        { Type: string; Properties?: { Tags?: unknown } }
      >;
      for (const [id, resource] of Object.entries(resources)) {
        if (untaggable.has(resource.Type)) continue;
        const tags = JSON.stringify(resource.Properties?.Tags ?? null);
        if (!tags.includes('"project"') || !tags.includes('"givefirst"')) {
          untagged.push(`${id} ${resource.Type}`);
        }
      }
    }
    expect(untagged).toEqual([]);
  });

  it('passes the AWS Solutions checks of cdk-nag: every finding fixed or acknowledged with a reason', () => {
    // Prepare
    const { app } = buildApp({ ...skipBundling, ...deployment });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    const synth = () => app.synth();

    // Assess: synth fails with ValidationFailed on any unacknowledged error-level finding.
    expect(synth).not.toThrow();
  });

  it('fails the cdk-nag checks when a finding is neither fixed nor acknowledged', async () => {
    // Prepare: a wildcard grant no reason covers.
    const { app, stateless } = buildApp({ ...skipBundling, ...deployment });
    const { PolicyStatement } = await import('aws-cdk-lib/aws-iam');
    stateless.ingestFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: ['*'] }),
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});
