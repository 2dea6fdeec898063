import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '#domain/ports.ts';

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
  /** The stack's clock, so a command talking to the stack judges at the stack's moment. */
  clock?: StackClock;
}

/**
 * A clock as another process can follow it: its setting (GIVEFIRST_CLOCK, or `custom` for a clock
 * handed in by code), and its reading at one moment of the machine's clock.
 */
export interface StackClock {
  setting: string;
  reading: string;
  machineTime: string;
}

export function describeClock(setting: string, clock: Clock, now = Date.now): StackClock {
  return {
    setting,
    reading: clock().toISOString(),
    machineTime: new Date(now()).toISOString(),
  };
}

/** The running stack's clock in this process: standing still if it stands still, else running on. */
export function followClock(stack: StackClock, now = Date.now): Clock {
  const reading = Date.parse(stack.reading);
  if (stack.setting.startsWith('fixed:')) return () => new Date(reading);
  const offset = stack.setting === 'system' ? 0 : reading - Date.parse(stack.machineTime);
  return () => new Date(now() + offset);
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
