// `npm run bench`: every benchmark, each printing ratios measured in this one run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import '#local/quiet-sdk-warning.ts';

const benches: [string, () => Promise<{ run(): Promise<void> }>][] = [
  ['ingest', () => import('./ingest.bench.ts')],
  ['items', () => import('./items.bench.ts')],
  ['smtp', () => import('./smtp.bench.ts')],
  ['bundle', () => import('./bundle.bench.ts')],
  ['threads', () => import('./threads.bench.ts')],
  ['digest', () => import('./digest.bench.ts')],
  ['digest-send', () => import('./digest-send.bench.ts')],
  ['history', () => import('./history.bench.ts')],
  ['large', () => import('./large-mail.bench.ts')],
  ['phrases', () => import('./phrases.bench.ts')],
  ['cli', () => import('./cli.bench.ts')],
  ['reply', () => import('./reply.bench.ts')],
  ['export', () => import('./export.bench.ts')],
];

// Each benchmark runs in a process of its own: what one leaves on the heap (the items bench peaks
// near 300 MB) would otherwise be collected during the next one's timings.
const [first, single] = process.argv.slice(2);
if (first === '--in-process') {
  const bench = benches.find(([name]) => name === single);
  if (!bench) throw new Error(`no benchmark named ${single}`);
  await (await bench[1]()).run();
} else {
  const only = process.argv.slice(2);
  console.log(`givefirst benchmarks on node ${process.version}, ${new Date().toISOString()}`);
  for (const [name] of benches) {
    if (only.length > 0 && !only.includes(name)) continue;
    console.log(`\n## ${name}`);
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--in-process', name],
      { stdio: 'inherit' },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`benchmark ${name} failed (exit ${code})`);
  }
}
