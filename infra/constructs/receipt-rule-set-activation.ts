import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { logRetention } from './givefirst-function.ts';

/** What the resource says when no rule set was active before givefirst's. */
export const noRuleSet = '(none)';

/**
 * The custom resource's function, inline (CommonJS, the runtime's own AWS SDK): SES has one active
 * receipt rule set a region and CloudFormation no resource for it.
 *
 * - Create: reads the active set (DescribeActiveReceiptRuleSet), then makes givefirst's active
 *   (SetActiveReceiptRuleSet). The one that was active before is named in the physical id, so every
 *   later event knows it, and in the data (`PreviousActiveRuleSet`, `Activation`, `OnDelete`).
 * - Update: makes givefirst's active again; the previous set is still the one Create saw.
 * - Delete: only when givefirst's set is still the active one (otherwise someone chose another
 *   since, and it is left alone): makes the previous set active again, or, when there was none or
 *   it no longer exists, deactivates (SetActiveReceiptRuleSet without a name): no set is active and
 *   SES receives nothing in the region.
 */
export const activationCode = `
const { SESClient, DescribeActiveReceiptRuleSetCommand, SetActiveReceiptRuleSetCommand } = require('@aws-sdk/client-ses');
const ses = new SESClient({});
const none = ${JSON.stringify(noRuleSet)};
const marker = '|previous=';
async function activeSet() {
  const active = await ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  return (active.Metadata && active.Metadata.Name) || none;
}
function report(ours, previous, replaced) {
  return {
    PreviousActiveRuleSet: previous,
    Activation: replaced === ours
      ? ours + ' was already the active set'
      : replaced === none
        ? ours + ' made active; no set was active before'
        : ours + ' made active; ' + replaced + ' is now inactive (kept, not deleted)',
    OnDelete: previous === none
      ? 'deactivates receiving in the region (no set active), if ' + ours + ' is still active'
      : 'makes ' + previous + ' active again (or deactivates, if it no longer exists), if ' + ours + ' is still active',
  };
}
async function onEvent(event) {
  const ours = event.ResourceProperties.RuleSetName;
  if (event.RequestType === 'Create') {
    const before = await activeSet();
    const previous = before === ours ? none : before;
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: ours }));
    return { physicalId: ours + marker + previous, data: report(ours, previous, before) };
  }
  const physicalId = event.PhysicalResourceId || '';
  const at = physicalId.indexOf(marker);
  const previous = at < 0 ? none : physicalId.slice(at + marker.length);
  if (event.RequestType === 'Update') {
    const before = await activeSet();
    if (before !== ours) await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: ours }));
    return { physicalId, data: report(ours, previous, before) };
  }
  if ((await activeSet()) !== ours) return { physicalId, data: {} };
  if (previous !== none) {
    try {
      await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: previous }));
      return { physicalId, data: {} };
    } catch (error) {
      if (!error || error.name !== 'RuleSetDoesNotExistException') throw error;
    }
  }
  await ses.send(new SetActiveReceiptRuleSetCommand({}));
  return { physicalId, data: {} };
}
exports.onEvent = onEvent;
exports.handler = async (event) => {
  let response;
  try {
    const { physicalId, data } = await onEvent(event);
    response = { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: data };
  } catch (error) {
    response = {
      Status: 'FAILED',
      Reason: String((error && error.message) || error),
      PhysicalResourceId: event.PhysicalResourceId || event.LogicalResourceId,
    };
  }
  await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify({
      ...response,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  });
};
`;

/**
 * Makes a receipt rule set the active one of the region, and says what that did to the set that
 * was active before (`previousActiveRuleSet`, `activation`, `onDelete`).
 */
export class ReceiptRuleSetActivation extends Construct {
  readonly resource: CustomResource;
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: { ruleSetName: string }) {
    super(scope, id);
    this.function = new LambdaFunction(this, 'Activator', {
      description: 'Makes the givefirst receipt rule set active and names the set it replaced.',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(activationCode),
      memorySize: 128,
      timeout: Duration.seconds(30),
      logGroup: new LogGroup(this, 'ActivatorLogs', {
        retention: logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
        resources: ['*'],
      }),
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::ActiveReceiptRuleSet',
      properties: { RuleSetName: props.ruleSetName },
    });
    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets the function write its own logs.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet support no resource-level permission.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22, as every givefirst function; a newer one is adopted deliberately.',
      },
    );
  }

  /** The set that was active before givefirst's first deploy, or `(none)`. */
  get previousActiveRuleSet(): string {
    return this.resource.getAttString('PreviousActiveRuleSet');
  }
  /** What the deploy did, in a sentence. */
  get activation(): string {
    return this.resource.getAttString('Activation');
  }
  /** What deleting the stack will do to the active set, in a sentence. */
  get onDelete(): string {
    return this.resource.getAttString('OnDelete');
  }
}
