// The operator's command line as `npx givefirst` runs it (the compiled CLI, in a new process each
// call): `--help` against `node -e 0`, the CPU of `threads --json` on a data folder of 1,000
// messages with no stack running, and files per second of one `ingest` call of 300 files.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compare, report } from './measure.ts';
import { aTypicalMessage } from './support.ts';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'givefirst.js');

/** bash's `times`: its own user/system line, then its children's. */
function childrenCpuMs(times: string): number {
  const lines = times.trim().split('\n');
  const children = lines.at(-1) ?? '';
  return [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, min, sec]) => sum + (Number(min) * 60 + Number(sec)) * 1000,
    0,
  );
}

async function timedCpu(args: string[], env: NodeJS.ProcessEnv) {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const start = performance.now();
  const { stderr } = await exec('bash', ['-c', `${quoted} > /dev/null; times >&2`], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { wallMs: performance.now() - start, cpuMs: childrenCpuMs(stderr) };
}

export async function run(): Promise<void> {
  // Measure the sources as they are now, compiled as `npm ci` compiles them.
  await runBuild();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-cli-bench-'));
  try {
    const env = {
      ...process.env,
      GIVEFIRST_DATA_DIR: path.join(dir, 'data'),
      GIVEFIRST_CLOCK: 'fixed:2026-03-03T08:00:00Z',
    };
    const node = process.execPath;

    const help = await compare(
      15,
      2,
      () => exec(node, [bin, '--help'], { env }),
      () => exec(node, ['-e', '0'], { env }),
    );
    const helpCpu = await timedCpu([node, bin, '--help'], env);
    const nodeCpu = await timedCpu([node, '-e', '0'], env);
    report(
      'givefirst --help, whole process',
      {
        ms: help.subject,
        node_e0_ms: help.baseline,
        ratio: help.ratio,
        cpu_ms: helpCpu.cpuMs,
        node_e0_cpu_ms: nodeCpu.cpuMs,
      },
      '≤ 3×',
    );

    const mail = path.join(dir, 'mail');
    await mkdir(mail);
    const files: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const contact = `Contact ${i % 100} <c${i % 100}@x.example>`;
      const file = path.join(mail, `${String(i).padStart(4, '0')}.eml`);
      await writeFile(file, aTypicalMessage(i, [contact]));
      files.push(file);
    }
    await exec(node, [bin, 'user', 'add', 'me@example.com', '--tz', 'Europe/Berlin'], { env });

    const first = files.slice(0, 300);
    const ingest = await timedCpu([node, bin, 'ingest', ...first, '--trust-sender'], env);
    report(
      `ingest of ${first.length} files in one call, 8 KB each`,
      {
        files_per_s: (first.length * 1000) / ingest.wallMs,
        wall_ms: ingest.wallMs,
        cpu_ms: ingest.cpuMs,
        // The CLI and dynalite share one thread: on a busy machine wall time says more about the
        // machine than about the CLI, and this figure is what an idle core would give.
        files_per_cpu_s: (first.length * 1000) / ingest.cpuMs,
      },
      '≥ 20 files/s',
    );
    await exec(node, [bin, 'ingest', ...files.slice(300), '--trust-sender'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });

    const threadsRuns: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < 5; i++) {
      threadsRuns.push(await timedCpu([node, bin, 'threads', 'me@example.com', '--json'], env));
    }
    const { stdout } = await exec(node, [bin, 'threads', 'me@example.com', '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const listed = JSON.parse(stdout) as { threads: unknown[] };
    const byCpu = threadsRuns.map((r) => r.cpuMs).sort((a, b) => a - b);
    const byWall = threadsRuns.map((r) => r.wallMs).sort((a, b) => a - b);
    report(
      'threads --json, 1,000 messages, no stack running',
      {
        threads: listed.threads.length,
        cpu_ms: byCpu[2] ?? 0,
        wall_ms: byWall[2] ?? 0,
      },
      '≤ 1000 ms CPU',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runBuild(): Promise<void> {
  await exec(process.execPath, [path.join(root, 'scripts', 'build-cli.js')]);
}
