import { readFileSync } from 'node:fs';
import { App, Tags } from 'aws-cdk-lib';
import { parseEmailAddress, parseMailDomain } from '../functions/adapters/config.ts';
import { projectTag } from './names.ts';
import { fromRepoRoot } from './repo-paths.ts';
import { mailFromDomainOf, StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/** What differs between deployments, given with `-c name=value`. Each is required: no fallback. */
export interface DeploymentContext {
  /** The inbound domain D (log@D, reply+TOKEN@D, start@D), e.g. in.example.org. */
  readonly mailDomain: string;
  /** The digest's From address, e.g. digest@example.org; its domain becomes the SES sending identity. */
  readonly fromAddress: string;
  /** Who the alarms notify. */
  readonly alarmEmail: string;
  /**
   * Optional, while the account is in the SES sandbox: verified recipient addresses the digest may
   * be sent to (SES then also authorises each send against the recipient's identity).
   */
  readonly sandboxRecipients: readonly string[];
}

/** The example a message shows; `npm run synth` passes these very values, and says so. */
export const exampleDeployCommand =
  'npx cdk deploy --all -c mailDomain=in.example.org -c fromAddress=digest@example.org -c alarmEmail=ops@example.org';

export interface GivefirstApp extends DeploymentContext {
  readonly app: App;
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
  const deployment = readDeploymentContext((name) => app.node.tryGetContext(name));

  // No env: the stacks are environment-agnostic, so synth needs no AWS account. The CLI deploys
  // them to the account and region of the current credentials.
  const stateful = new StatefulStack(app, 'GivefirstStateful', {
    description: 'givefirst: table, raw-mail bucket, reply-token keys, SES identities and rule set',
    mailDomain: deployment.mailDomain,
    fromAddress: deployment.fromAddress,
  });
  const stateless = new StatelessStack(app, 'GivefirstStateless', {
    description:
      'givefirst: functions, SES receipt rule and its activation, digest schedule, unsubscribe endpoint, alarms',
    ...deployment,
    sendingDomain: stateful.sendingDomain,
    table: stateful.table,
    receiptRuleSet: stateful.receiptRuleSet,
    replyTokenKeys: stateful.replyTokenKeys,
    sesEvents: stateful.sesEvents,
  });
  stateless.addStackDependency(stateful);
  Tags.of(app).add(projectTag.key, projectTag.value);
  return { app, ...deployment, stateful, stateless };
}

/**
 * Reads and validates the deployment context with the runtime's own validators. A missing or
 * invalid value fails synth (and so deploy) with a message naming it and the command to run.
 */
export function readDeploymentContext(get: (name: string) => unknown): DeploymentContext {
  const rules = {
    mailDomain: { parse: parseMailDomain, what: 'a domain name such as in.example.org' },
    fromAddress: { parse: parseEmailAddress, what: 'an email address such as digest@example.org' },
    alarmEmail: { parse: parseEmailAddress, what: 'an email address such as ops@example.org' },
  } as const;
  const names = Object.keys(rules) as (keyof typeof rules)[];
  const missing = names.filter((name) => get(name) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Missing context: ${missing.join(', ')}. Every deployment names its own, e.g.\n  ${exampleDeployCommand}`,
    );
  }
  const values = {} as Record<keyof typeof rules, string>;
  for (const name of names) {
    const value = get(name);
    const parsed = typeof value === 'string' ? rules[name].parse(value) : undefined;
    if (!parsed) {
      throw new Error(`${name} must be ${rules[name].what}, got ${JSON.stringify(value)}`);
    }
    values[name] = parsed;
  }
  const fromDomain = values.fromAddress.slice(values.fromAddress.lastIndexOf('@') + 1);
  if (values.mailDomain === mailFromDomainOf(fromDomain)) {
    throw new Error(
      `mailDomain must not be ${values.mailDomain}: that name is the From domain's custom MAIL FROM, whose MX points at SES feedback, not at receiving`,
    );
  }
  return { ...values, sandboxRecipients: readSandboxRecipients(get('sandboxRecipients')) };
}

/** `-c sandboxRecipients=a@example.org,b@example.org`, or nothing. */
function readSandboxRecipients(value: unknown): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(',') : [];
  const addresses = parts.map((part) => parseEmailAddress(part));
  if (parts.length === 0 || addresses.some((a) => a === undefined)) {
    throw new Error(
      `sandboxRecipients must be email addresses separated by commas, got ${JSON.stringify(value)}`,
    );
  }
  return addresses as string[];
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
