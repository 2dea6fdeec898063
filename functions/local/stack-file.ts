import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What a running local stack tells other processes (the CLI) about itself. */
export interface StackFile {
  pid: number;
  dynamoEndpoint: string;
  sesEndpoint: string;
  /** Where links in digests point (the web listener, unless GIVEFIRST_PUBLIC_URL says otherwise). */
  publicUrl: string;
  smtp: string;
  mailDomain: string;
  startedAt: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, 'stack.json');

export async function writeStackFile(dataDir: string, stack: StackFile): Promise<void> {
  await writeFile(fileIn(dataDir), `${JSON.stringify(stack, null, 2)}\n`);
}

export async function removeStackFile(dataDir: string): Promise<void> {
  await rm(fileIn(dataDir), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running stack for this data folder, if its process is alive and its endpoint answers. */
export async function findRunningStack(dataDir: string): Promise<StackFile | null> {
  let stack: StackFile;
  try {
    stack = JSON.parse(await readFile(fileIn(dataDir), 'utf8')) as StackFile;
  } catch {
    return null;
  }
  if (!alive(stack.pid)) return null;
  try {
    await fetch(stack.dynamoEndpoint, { method: 'POST', signal: AbortSignal.timeout(1000) });
    return stack;
  } catch {
    return null;
  }
}
