import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;

/**
 * The consumer template with every reference to the producer's outputs replaced by the output's
 * value, e.g. `{ Ref: 'TableCD117FA1' }`. Works for weak (Fn::GetStackOutput) and strong
 * (Fn::ImportValue) cross-stack references alike, so assertions name the producer's resources.
 */
export function resolveCrossStackReferences(consumer: Template, producer: Template): Json {
  const outputs = (producer.toJSON().Outputs ?? {}) as Record<
    string,
    { Value: Json; Export?: { Name: string } }
  >;
  const byOutputName = (name: string): Json => {
    const output = outputs[name];
    if (!output) throw new Error(`the producer has no output ${name}`);
    return output.Value;
  };
  const byExportName = (name: string): Json => {
    const output = Object.values(outputs).find((o) => o.Export?.Name === name);
    if (!output) throw new Error(`the producer exports no ${name}`);
    return output.Value;
  };
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, Json>;
    const getStackOutput = record['Fn::GetStackOutput'] as { OutputName?: string } | undefined;
    if (getStackOutput?.OutputName) return byOutputName(getStackOutput.OutputName);
    const importValue = record['Fn::ImportValue'];
    if (typeof importValue === 'string') return byExportName(importValue);
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, walk(inner)]));
  };
  return walk(consumer.toJSON());
}
