import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, defaultMailDomain, defaultPublicUrl } from '../../infra/build-app.ts';

const skipBundling = { 'aws:cdk:bundling-stacks': [] };

describe('buildApp', () => {
  it('receives mail for the domain given in context, lower-cased', () => {
    const { stateless } = buildApp({ ...skipBundling, mailDomain: 'Log.Example.ORG' });

    const template = Template.fromStack(stateless);

    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Recipients: ['log.example.org'] }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_DOMAIN: 'log.example.org' }) },
    });
  });

  it('falls back to in.example.com for synth, and warns', () => {
    const { mailDomain, stateless } = buildApp(skipBundling);

    expect(mailDomain).toBe(defaultMailDomain);
    expect(defaultMailDomain).toBe('in.example.com');
    Annotations.fromStack(stateless).hasWarning(
      '/GivefirstStateless',
      Match.stringLikeRegexp('No mailDomain in context'),
    );
  });

  it('does not warn when a domain is given', () => {
    const { stateless } = buildApp({ ...skipBundling, mailDomain: 'log.example.org' });

    Annotations.fromStack(stateless).hasNoWarning('*', Match.stringLikeRegexp('mailDomain'));
  });

  it('links to the public URL given in context, without its trailing slash', () => {
    const { publicUrl, stateless } = buildApp({
      ...skipBundling,
      publicUrl: 'https://givefirst.example.org/',
    });

    expect(publicUrl).toBe('https://givefirst.example.org');
    Template.fromStack(stateless).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PUBLIC_URL: 'https://givefirst.example.org' }),
      },
    });
    Annotations.fromStack(stateless).hasNoWarning('*', Match.stringLikeRegexp('publicUrl'));
  });

  it('falls back to https://givefirst.example.com for synth, and warns', () => {
    const { publicUrl, stateless } = buildApp(skipBundling);

    expect(publicUrl).toBe(defaultPublicUrl);
    expect(defaultPublicUrl).toBe('https://givefirst.example.com');
    Annotations.fromStack(stateless).hasWarning(
      '/GivefirstStateless',
      Match.stringLikeRegexp('No publicUrl in context'),
    );
  });

  it.each(['', 'givefirst.example.org', 'http://givefirst.example.org', 'https://x.org/?a=1'])(
    'refuses %j as a public URL',
    (publicUrl) => {
      expect(() => buildApp({ ...skipBundling, publicUrl })).toThrow(
        /publicUrl must be an https URL/,
      );
    },
  );

  it('pins the reply-token keys to a secret version when one is given, so a deploy re-reads them', () => {
    const versionId = 'a1b2c3d4-e5f6-4a5b-8c7d-0123456789ab';
    const { stateless } = buildApp({ ...skipBundling, replyTokenKeysVersion: versionId });

    Template.fromStack(stateless).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          REPLY_TOKEN_KEYS: `{{resolve:secretsmanager:givefirst/reply-token-keys:SecretString:::${versionId}}}`,
        }),
      },
    });
  });

  it('refuses a reply-token keys version that is not a VersionId', () => {
    expect(() => buildApp({ ...skipBundling, replyTokenKeysVersion: 'AWSCURRENT}}{{x' })).toThrow(
      /replyTokenKeysVersion must be a Secrets Manager VersionId/,
    );
  });

  it.each(['', 'example', 'log@example.org', 'https://example.org', 'ex ample.org'])(
    'refuses %j as a mail domain',
    (mailDomain) => {
      expect(() => buildApp({ ...skipBundling, mailDomain })).toThrow(
        /mailDomain must be a domain name/,
      );
    },
  );

  it('synthesises the stateless stack after the stateful one', () => {
    const { stateful, stateless } = buildApp(skipBundling);

    expect(stateless.dependencies).toContain(stateful);
  });
});
