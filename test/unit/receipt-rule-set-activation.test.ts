import { describe, expect, it } from 'vitest';
import { activationCode } from '../../infra/constructs/receipt-rule-set-activation.ts';

type Call = { command: string; input: Record<string, unknown> };

/**
 * The custom resource's inline code, run with a fake SES in place of the runtime's SDK: `active` is
 * the region's active set, `existing` the sets that exist. Returns its onEvent and the calls made.
 */
function anActivator(active: string | undefined, existing: string[]) {
  const calls: Call[] = [];
  const state = { active };
  const command = (name: string) =>
    class {
      constructor(readonly input: Record<string, unknown>) {}
      readonly command = name;
    };
  const fakeSes = {
    SESClient: class {
      async send(c: { command: string; input: Record<string, unknown> }) {
        calls.push({ command: c.command, input: c.input });
        if (c.command === 'Describe')
          return state.active ? { Metadata: { Name: state.active } } : {};
        const name = c.input.RuleSetName as string | undefined;
        if (name && !existing.includes(name)) {
          throw Object.assign(new Error(`${name} does not exist`), {
            name: 'RuleSetDoesNotExistException',
          });
        }
        state.active = name;
        return {};
      }
    },
    DescribeActiveReceiptRuleSetCommand: command('Describe'),
    SetActiveReceiptRuleSetCommand: command('Set'),
  };
  const exports: {
    onEvent?: (event: unknown) => Promise<{ physicalId: string; data: Record<string, string> }>;
  } = {};
  new Function('require', 'exports', activationCode)(() => fakeSes, exports);
  const onEvent = exports.onEvent;
  if (!onEvent) throw new Error('no onEvent');
  return { onEvent, calls, state };
}

const ours = 'givefirst-inbound';
const event = (RequestType: string, PhysicalResourceId?: string) => ({
  RequestType,
  PhysicalResourceId,
  ResourceProperties: { RuleSetName: ours },
});

describe('the receipt rule set activation', () => {
  it('reads the active set before making givefirst’s active, and names it', async () => {
    const { onEvent, calls, state } = anActivator('old-rules', ['old-rules', ours]);

    const created = await onEvent(event('Create'));

    expect(calls.map((c) => c.command)).toEqual(['Describe', 'Set']);
    expect(state.active).toBe(ours);
    expect(created.data).toEqual({
      PreviousActiveRuleSet: 'old-rules',
      Activation: 'givefirst-inbound made active; old-rules is now inactive (kept, not deleted)',
      OnDelete:
        'makes old-rules active again (or deactivates, if it no longer exists), if givefirst-inbound is still active',
    });
    expect(created.physicalId).toBe('givefirst-inbound|previous=old-rules');
  });

  it('keeps naming the set Create replaced on an update', async () => {
    const { onEvent } = anActivator(ours, ['old-rules', ours]);

    const updated = await onEvent(event('Update', 'givefirst-inbound|previous=old-rules'));

    expect(updated.data.PreviousActiveRuleSet).toBe('old-rules');
    expect(updated.data.Activation).toBe('givefirst-inbound was already the active set');
    expect(updated.physicalId).toBe('givefirst-inbound|previous=old-rules');
  });

  it('on an update, makes givefirst’s set active again if another was chosen since, and says so', async () => {
    const { onEvent, state } = anActivator('someone-elses', ['old-rules', 'someone-elses', ours]);

    const updated = await onEvent(event('Update', 'givefirst-inbound|previous=old-rules'));

    expect(state.active).toBe(ours);
    expect(updated.data.Activation).toBe(
      'givefirst-inbound made active; someone-elses is now inactive (kept, not deleted)',
    );
    expect(updated.data.PreviousActiveRuleSet).toBe('old-rules');
  });

  it('makes the previous set active again on delete', async () => {
    const { onEvent, state } = anActivator(ours, ['old-rules', ours]);

    await onEvent(event('Delete', 'givefirst-inbound|previous=old-rules'));

    expect(state.active).toBe('old-rules');
  });

  it('deactivates on delete when the previous set is gone, or there was none', async () => {
    for (const physicalId of [
      'givefirst-inbound|previous=old-rules',
      'givefirst-inbound|previous=(none)',
    ]) {
      const { onEvent, state, calls } = anActivator(ours, [ours]);

      await onEvent(event('Delete', physicalId));

      expect(state.active).toBeUndefined();
      expect(calls.at(-1)).toEqual({ command: 'Set', input: {} });
    }
  });

  it('leaves another set alone on delete when someone made it active since', async () => {
    const { onEvent, calls, state } = anActivator('their-rules', ['their-rules', ours]);

    await onEvent(event('Delete', 'givefirst-inbound|previous=(none)'));

    expect(calls.map((c) => c.command)).toEqual(['Describe']);
    expect(state.active).toBe('their-rules');
  });

  it('says so when no set was active, or givefirst’s already was', async () => {
    expect(
      (await anActivator(undefined, [ours]).onEvent(event('Create'))).data.PreviousActiveRuleSet,
    ).toBe('(none)');
    expect((await anActivator(ours, [ours]).onEvent(event('Create'))).data.Activation).toBe(
      'givefirst-inbound was already the active set',
    );
  });
});
