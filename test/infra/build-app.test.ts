import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, defaultMailDomain } from '../../infra/build-app.ts';

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
