/** Small helpers for benchmarks that compare two things measured in the same run. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs `subject` and `baseline` alternately, `rounds` times each after `warmup` rounds,
 * and returns their median times in milliseconds: alternation spreads machine noise over both.
 */
export async function compare(
  rounds: number,
  warmup: number,
  subject: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
): Promise<{ subject: number; baseline: number; ratio: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const ta = await timeIt(() => subject(i));
    const tb = await timeIt(() => baseline(i));
    if (i >= warmup) {
      a.push(ta);
      b.push(tb);
    }
  }
  const subjectMs = median(a);
  const baselineMs = median(b);
  return { subject: subjectMs, baseline: baselineMs, ratio: subjectMs / baselineMs };
}

export function report(
  name: string,
  fields: Record<string, string | number>,
  target?: string,
): void {
  const parts = Object.entries(fields).map(
    ([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`,
  );
  console.log(`${name.padEnd(44)} ${parts.join('  ')}${target ? `  (target ${target})` : ''}`);
}

export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}
