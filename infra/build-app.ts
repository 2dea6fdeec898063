import { readFileSync } from 'node:fs';
import { Annotations, App } from 'aws-cdk-lib';
import { parsePublicUrl } from '../functions/adapters/config.ts';
import { replyTokenKeysReference } from './reply-token-keys.ts';
import { fromRepoRoot } from './repo-paths.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * The mail domain used when none is given with `-c mailDomain=...`. It lets `cdk synth` run
 * anywhere; it is a reserved example domain, so a deployment with it receives nothing, and synth
 * warns about it.
 */
export const defaultMailDomain = 'in.example.com';

/**
 * The public URL used when none is given with `-c publicUrl=...` (unsubscribe links start with
 * it). Like the default mail domain, it lets synth run anywhere, points nowhere real, and warns.
 */
export const defaultPublicUrl = 'https://givefirst.example.com';

const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface GivefirstApp {
  readonly app: App;
  readonly mailDomain: string;
  readonly publicUrl: string;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Builds the givefirst CDK app, for `infra/app.ts` and for the infra tests alike.
 *
 * The context starts from cdk.json's (so tests synthesise with the same feature flags as the
 * CLI), then `context`, then whatever the CDK CLI passes (`-c key=value`), which wins.
 */
export function buildApp(context: Record<string, unknown> = {}): GivefirstApp {
  const app = new App({ context: { ...cdkJsonContext(), ...context } });
  const mailDomain = readMailDomain(app);
  const publicUrl = readPublicUrl(app);

  // No env: the stacks are environment-agnostic, so synth needs no AWS account. The CLI deploys
  // them to the account and region of the current credentials.
  const stateful = new StatefulStack(app, 'GivefirstStateful', {
    description: 'givefirst: table, raw-mail bucket, SES receipt rule set',
  });
  const stateless = new StatelessStack(app, 'GivefirstStateless', {
    description: 'givefirst: inbound mail function, SES receipt rule, digest scheduler',
    mailDomain,
    publicUrl,
    replyTokenKeys: replyTokenKeysReference(readReplyTokenKeysVersion(app)),
    table: stateful.table,
    rawMailBucket: stateful.rawMailBucket,
    receiptRuleSet: stateful.receiptRuleSet,
  });
  stateless.addStackDependency(stateful);

  if (app.node.tryGetContext('mailDomain') === undefined) {
    Annotations.of(stateless).addWarningV2(
      'givefirst:defaultMailDomain',
      `No mailDomain in context; using ${defaultMailDomain}. Deploy with -c mailDomain=<your domain>.`,
    );
  }
  if (app.node.tryGetContext('publicUrl') === undefined) {
    Annotations.of(stateless).addWarningV2(
      'givefirst:defaultPublicUrl',
      `No publicUrl in context; unsubscribe links start with ${defaultPublicUrl}. Deploy with -c publicUrl=https://<your host>.`,
    );
  }
  return { app, mailDomain, publicUrl, stateful, stateless };
}

function readMailDomain(app: App): string {
  const value: unknown = app.node.tryGetContext('mailDomain') ?? defaultMailDomain;
  const domain = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!domainPattern.test(domain)) {
    throw new Error(
      `mailDomain must be a domain name such as in.example.com, got ${JSON.stringify(value)}`,
    );
  }
  return domain;
}

function readPublicUrl(app: App): string {
  const value: unknown = app.node.tryGetContext('publicUrl') ?? defaultPublicUrl;
  const url = typeof value === 'string' ? parsePublicUrl(value) : undefined;
  if (!url) {
    throw new Error(
      `publicUrl must be an https URL such as https://givefirst.example.org, got ${JSON.stringify(value)}`,
    );
  }
  return url;
}

/** Optional: the secret version to pin, so that a deploy after rotating the keys re-reads them. */
function readReplyTokenKeysVersion(app: App): string | undefined {
  const value: unknown = app.node.tryGetContext('replyTokenKeysVersion');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9-]{32,64}$/.test(value)) {
    throw new Error(
      `replyTokenKeysVersion must be a Secrets Manager VersionId, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
