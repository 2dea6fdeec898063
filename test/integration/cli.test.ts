import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { startCliStack } from '../support/cli-stack.ts';

const run = promisify(execFile);
// The compiled CLI, as `npx givefirst` runs it; built here from the sources under test.
const bin = fileURLToPath(new URL('../../bin/givefirst.js', import.meta.url));
const build = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));
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
    await run(process.execPath, [build]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-cli-'));
  }, 60_000);
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
      stack = await startCliStack(dataDir);

      const users = await json('user', 'list');

      expect(users.code).toBe(0);
      expect(users.body.users.map((u: { email: string }) => u.email)).toEqual(['me@example.com']);
    } finally {
      await stack?.stop();
    }
  });

  it('keeps mail to start@ for redrive when no stack can answer it, and redrives it through one', async () => {
    const kept = await givefirst('ingest', lunch, '--to', 'start@in.givefirst.localhost');
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(
      /mail to start@ needs answers sent: redrive it through the running stack/,
    );
    expect(kept.stderr).toMatch(/it is kept for redrive/);
    expect((await json('rejections')).body.rejections).not.toContainEqual(
      expect.objectContaining({ reason: 'onboarding-closed' }),
    );

    let stack: LocalStack | undefined;
    try {
      stack = await startCliStack(dataDir, { clock: env().GIVEFIRST_CLOCK });
      const redriven = await json('redrive');

      // This instance allows no domain: joining answers that it takes no sign-ups, as it should.
      expect(redriven.body.results).toEqual([
        expect.objectContaining({
          outcome: expect.objectContaining({ reason: 'onboarding-closed' }),
        }),
      ]);
    } finally {
      await stack?.stop();
    }
  });

  it('explains an unknown command with the usage', async () => {
    const result = await givefirst('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command[\s\S]*user add EMAIL/);
  });

  it('refuses to add a user who exists, keeping their settings', async () => {
    const again = await json('user', 'add', 'ME@example.com', '--tz', 'UTC');
    expect(again.code).toBe(1);
    expect(again.body.problems).toEqual(['me@example.com is already a registered user']);

    const byAlias = await json('user', 'add', 'me@work.example.org');
    expect(byAlias.code).toBe(1);
    expect(byAlias.body.problems).toEqual([
      'me@work.example.org already belongs to the registered user me@example.com',
    ]);

    const users = await json('user', 'list');
    expect(users.body.users).toEqual([
      expect.objectContaining({ email: 'me@example.com', timeZone: 'Europe/Berlin' }),
    ]);
  });

  it('prints the help on --help, and exits 0', async () => {
    const help = await givefirst('--help');
    const ofCommand = await givefirst('threads', '--help');

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: givefirst[\s\S]*threads EMAIL[\s\S]*ingest FILE\.eml/);
    expect(help.stderr).toBe('');
    expect(ofCommand.code).toBe(0);
    expect(ofCommand.stdout).toBe(help.stdout);
  });

  it.each([
    [['ingest', '/nope.eml'], /\/nope\.eml: no such file[\s\S]*nothing was ingested/],
    [['threads', 'me@example.com', '--jsn'], /unknown option --jsn\ndid you mean --json\?/],
    [['--jsn'], /unknown option --jsn\ndid you mean --json\?/],
    [['thread', 'me@example.com'], /unknown command "thread"\ndid you mean: givefirst threads\?/],
    [['user', 'ad', 'me@example.com'], /no command "user ad"\ntry: givefirst user add/],
    [['threads'], /threads needs the user's email address\nusage: givefirst threads EMAIL/],
    [['threads', 'me@example.com', 'you@example.com'], /"you@example.com" is one too many/],
    [
      ['threads', 'me@example.com', '--days', '3'],
      /threads does not take --days\nit takes --as-of/,
    ],
    [['threads', 'me@example.com', '--as-of'], /--as-of needs a value\nfor example: --as-of 2026/],
    [
      ['threads', 'me@example.com', '--as-of', 'yesterday'],
      /--as-of "yesterday" is not a moment[\s\S]*--as-of 2026-03-05T09:00:00Z/,
    ],
    // Date would read these as 2 March and as midnight in the machine's zone.
    [['contacts', 'me@example.com', '--as-of', '2026-02-30T08:00:00Z'], /is not a moment/],
    [['contacts', 'me@example.com', '--as-of', '2026-03-05T08:00'], /--as-of 2026-03-05T08:00Z/],
    [['rejections', '--days', 'week'], /--days week is not a whole number/],
    [['digest', 'me@example.com'], /digest takes --dry-run \(print it\) or --now/],
    [['threads', 'nobody@example.com'], /nobody@example.com is not a registered user\n.*user list/],
  ])(
    'says what is wrong with %j and what would work, without a stack trace',
    async (args, says) => {
      const result = await givefirst(...args);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(says);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).toBe('');
    },
  );

  it('with --json, a mistake is still one JSON document on stdout', async () => {
    const result = await givefirst('ingest', '/nope.eml', '--json');

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: expect.objectContaining({ kind: 'usage', message: '/nope.eml: no such file' }),
    });
  });

  it('ingests nothing when one of the files is missing', async () => {
    const before = await json('threads', 'me@example.com');

    const result = await givefirst('ingest', lunch, '/nope.eml', '--trust-sender');

    expect(result.code).toBe(2);
    expect((await json('threads', 'me@example.com')).body.threads).toEqual(before.body.threads);
  });

  it.each([
    ['fixed:2026-11-27T08:00:00Z', '2026-11-27T08:00:00.000Z', '2026-11-27T08:00:00.000Z'],
    ['from:2026-11-27T08:00:00Z', '2026-11-27T08:00:00.000Z', '2026-11-27T09:00:00.000Z'],
  ])('runs on the running stack clock (%s), not its own', async (setting, earliest, latest) => {
    let stack: LocalStack | undefined;
    try {
      stack = await startCliStack(dataDir, { clock: setting });

      const threads = await json('threads', 'me@example.com');

      expect(threads.code).toBe(0);
      expect(threads.body.asOf >= earliest && threads.body.asOf <= latest).toBe(true);
      expect(threads.stderr).toMatch(
        `GIVEFIRST_CLOCK=fixed:2026-03-02T12:00:00Z is not used: the running stack's clock is ${setting}`,
      );
    } finally {
      await stack?.stop();
    }
  });
});
