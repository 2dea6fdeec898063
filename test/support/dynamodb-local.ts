import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface RunningDynamoDbLocal {
  endpoint: string;
  close(): Promise<void>;
}

const startDeadlineMs = 20_000;

/** Where DynamoDB Local's jar is, from the `amplify-dynamodb-simulator` package; null when missing. */
function emulatorFolder(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve(
      'amplify-dynamodb-simulator/package.json',
    );
    const folder = path.join(path.dirname(manifest), 'emulator');
    return existsSync(path.join(folder, 'DynamoDBLocal.jar')) ? folder : null;
  } catch {
    return null;
  }
}

function javaIsOnPath(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

/** Why DynamoDB Local cannot run here, or null when it can. */
export function dynamoDbLocalUnavailable(): string | null {
  if (!emulatorFolder()) return 'DynamoDBLocal.jar not found (amplify-dynamodb-simulator missing)';
  if (!javaIsOnPath()) return 'java is not on PATH';
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    region: 'local',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts AWS's DynamoDB Local (in memory, on a free loopback port) and waits until it answers.
 * Returns null when Java or the jar is missing, so callers can skip instead of fail.
 * Java's output is kept to itself unless it fails to start.
 */
export async function startDynamoDbLocal(): Promise<RunningDynamoDbLocal | null> {
  const folder = emulatorFolder();
  if (!folder || !javaIsOnPath()) return null;

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + startDeadlineMs;
  while (!(await answers(endpoint))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      await stop(child);
      process.off('exit', killOnExit);
      const why = exited
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : 'did not answer in time';
      throw new Error(`DynamoDB Local ${why} on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    close: async () => {
      process.off('exit', killOnExit);
      await stop(child);
    },
  };
}
