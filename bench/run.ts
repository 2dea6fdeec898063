// `npm run bench`: every benchmark, each printing ratios measured in this one run.
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

const only = process.argv.slice(2);
console.log(`givefirst benchmarks on node ${process.version}, ${new Date().toISOString()}`);
for (const [name, load] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  await (await load()).run();
}
