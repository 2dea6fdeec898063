import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import { readLocalConfig } from '#local/local-config.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/givefirst.js', import.meta.url));
const lunch = fileURLToPath(new URL('../fixtures/mail/lunch-question.eml', import.meta.url));

describe('the givefirst command line', () => {
  let dataDir: string;
  const env = () => ({
    ...process.env,
    GIVEFIRST_DATA_DIR: dataDir,
    GIVEFIRST_CLOCK: 'fixed:2026-03-02T12:00:00Z',
  });
  const givefirst = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: env() });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const json = async (...args: string[]) => {
    const result = await givefirst(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout) };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('registers a user, refusing an invalid time zone with an example of a valid one', async () => {
    const bad = await json('user', 'add', 'me@example.com', '--tz', 'Mars/Olympus');
    expect(bad.code).toBe(1);
    expect(bad.body.problems.join(' ')).toMatch(/Europe\/Berlin/);

    const added = await json(
      'user',
      'add',
      'me@example.com',
      '--tz',
      'Europe/Berlin',
      '--alias',
      'Me@Work.Example.org',
    );
    expect(added.code).toBe(0);
    expect(added.body.user).toMatchObject({
      email: 'me@example.com',
      aliases: ['me@work.example.org'],
      timeZone: 'Europe/Berlin',
    });
  });

  it('ingests a file as the operator vouches, and shows the contacts and the awaited thread', async () => {
    const ingested = await json(
      'ingest',
      lunch,
      '--trust-sender',
      '--to',
      'log@in.givefirst.localhost',
    );
    expect(ingested.body.results[0].outcome).toMatchObject({
      status: 'logged',
      contacts: 2,
      awaited: 1,
    });

    const contacts = await json('contacts', 'me@example.com');
    expect(
      contacts.body.contacts.map((c: { address: string; touchesOut: number }) => [
        c.address,
        c.touchesOut,
      ]),
    ).toEqual([
      ['alice@x.com', 1],
      ['bob@y.com', 1],
    ]);
    const threads = await json('threads', 'me@example.com', '--as-of', '2026-03-05T08:00:00+01:00');
    expect(threads.body.threads[0].contacts).toEqual([
      expect.objectContaining({
        address: 'alice@x.com',
        dueOn: '2026-03-05',
        state: 'due',
        reason: 'Assume the best: maybe they missed it. Reach out again.',
      }),
    ]);
  });

  it('applies sender authentication to a file nobody vouched for, and lists the rejection', async () => {
    const ingested = await json('ingest', lunch);
    expect(ingested.code).toBe(1);
    expect(ingested.body.results[0].outcome).toMatchObject({
      status: 'rejected',
      reason: 'sender-not-authenticated',
    });

    const rejections = await json('rejections');
    expect(rejections.body.rejections).toEqual([
      expect.objectContaining({
        reason: 'sender-not-authenticated',
        from: 'me@example.com',
        subject: 'Lunch next week?',
      }),
    ]);
  });

  it('talks to the running stack when one is up (which owns the data folder)', async () => {
    let stack: LocalStack | undefined;
    try {
      const config = {
        ...readLocalConfig({ GIVEFIRST_DATA_DIR: dataDir }),
        smtpPort: 0,
        dynamoPort: 0,
        sesPort: 0,
        httpPort: 0,
        schedulerSeconds: 0,
      };
      stack = await startLocalStack(config, { logger: silentLogger, writeStackFile: true });

      const users = await json('user', 'list');

      expect(users.code).toBe(0);
      expect(users.body.users.map((u: { email: string }) => u.email)).toEqual(['me@example.com']);
    } finally {
      await stack?.stop();
    }
  });

  it('explains an unknown command with the usage', async () => {
    const result = await givefirst('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command[\s\S]*user add EMAIL/);
  });
});
