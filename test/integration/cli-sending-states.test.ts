import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { userIdFor } from '#domain/ids.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startCliStack } from '../support/cli-stack.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/givefirst.js', import.meta.url));
const build = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const me = 'me@example.com';

/**
 * The sending state through the compiled CLI, as a child process on a real data folder: SES's
 * documented notification shapes fed with `ses-event`, the state `user list` shows, `user resume`,
 * `user set`, `digest --now` refusing, and `user delete` leaving nothing of the user in the table.
 */
describe('sending states from the command line', () => {
  let dataDir: string;
  /** Runs the CLI; its standard input is `answer`, as if typed, then closed. */
  const answering = async (answer: string, ...args: string[]) => {
    try {
      const running = run(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          GIVEFIRST_DATA_DIR: dataDir,
          GIVEFIRST_CLOCK: 'fixed:2026-03-02T12:00:00Z',
        },
      });
      running.child.stdin?.end(answer);
      const { stdout, stderr } = await running;
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const givefirst = (...args: string[]) => answering('', ...args);
  const json = async (...args: string[]) => {
    const result = await givefirst(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout) };
  };
  const stateOfMe = async () => {
    const users = await json('user', 'list');
    return users.body.users.find((u: { email: string }) => u.email === me)?.sendingState;
  };
  const sesEvent = (name: string) => json('ses-event', fixture(`ses/${name}`));

  beforeAll(async () => {
    await run(process.execPath, [build]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-cli-states-'));
    const added = await givefirst('user', 'add', me, '--tz', 'Europe/Berlin');
    if (added.code !== 0) throw new Error(added.stderr);
  }, 60_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to add an existing user again, pointing to user set and user resume', async () => {
    const again = await givefirst('user', 'add', me, '--tz', 'America/New_York');

    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/givefirst user set me@example.com --tz ZONE --at HH:MM/);
    expect(again.stdout).toMatch(/givefirst user resume me@example.com/);
  });

  it('lists a new user as active', async () => {
    expect(await stateOfMe()).toEqual({ state: 'active' });
    expect((await givefirst('user', 'list')).stdout).toMatch(
      /^me@example.com\tEurope\/Berlin\t08:00\tactive$/m,
    );
  });

  it('stops a user whose digest hard-bounced (an SNS-wrapped notification), and says why', async () => {
    const fed = await sesEvent('hard-bounce.sns-lambda-event.json');

    expect(fed.code).toBe(0);
    expect(fed.body.results[0].outcomes[0]).toMatchObject({
      status: 'stopped',
      reason: 'hard-bounce',
    });
    expect(await stateOfMe()).toMatchObject({ state: 'bouncing', reason: 'hard-bounce' });
    expect((await givefirst('user', 'list')).stdout).toMatch(/bouncing \(a digest bounced\)/);
  });

  it('refuses digest --now for a user who is not active, pointing to user resume', async () => {
    const refused = await givefirst('digest', me, '--now');

    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/me@example.com is bouncing .*no digest sent/);
    expect(refused.stdout).toMatch(/givefirst user resume me@example.com/);
  });

  it('resumes a stopped user: active and scheduled again', async () => {
    const resumed = await json('user', 'resume', me);

    expect(resumed.code).toBe(0);
    expect(resumed.body).toMatchObject({ was: { state: 'bouncing' }, state: { state: 'active' } });
    expect(resumed.body.nextDigest).toBe('2026-03-03');
    expect(await stateOfMe()).toEqual({ state: 'active' });
  });

  it('counts a soft bounce once per notification, clears the count on a delivery, stops at three in a row', async () => {
    await sesEvent('soft-bounce-1.json');
    await sesEvent('soft-bounce-1.json');
    await sesEvent('soft-bounce-2.json');
    const delivered = await sesEvent('delivery.json');
    const afterDelivery = await sesEvent('soft-bounce-3.json');
    expect(delivered.body.results[0].outcomes[0]).toMatchObject({ status: 'delivered' });
    expect(afterDelivery.body.results[0].outcomes[0]).toMatchObject({ inARow: 1 });
    expect(await stateOfMe()).toEqual({ state: 'active' });

    await sesEvent('soft-bounce-1.json');
    const third = await sesEvent('soft-bounce-2.json');

    expect(third.body.results[0].outcomes[0]).toMatchObject({
      status: 'stopped',
      reason: 'soft-bounces',
    });
    expect(await stateOfMe()).toMatchObject({ state: 'bouncing', reason: 'soft-bounces' });
  });

  it('reads a complaint (one SNS notification) as unsubscribed, with the reason', async () => {
    await givefirst('user', 'resume', me);

    await sesEvent('complaint.sns-notification.json');

    expect(await stateOfMe()).toMatchObject({ state: 'unsubscribed', reason: 'complaint' });
    expect((await givefirst('user', 'list')).stdout).toMatch(
      /unsubscribed \(marked a digest as spam\)/,
    );
  });

  it('changes the zone and hour with user set, refusing a zone that is not one', async () => {
    const bad = await json('user', 'set', me, '--tz', 'Mars/Olympus');
    expect(bad.code).toBe(1);
    expect(bad.body.problems.join(' ')).toMatch(/Europe\/Berlin/);

    const set = await json('user', 'set', me, '--tz', 'america/new_york', '--at', '7:30');

    expect(set.code).toBe(0);
    expect(set.body.user).toMatchObject({ timeZone: 'America/New_York', digestAt: '07:30' });
    // Still unsubscribed: changing the hour does not send digests again.
    expect(set.body.nextDigest).toBeNull();
    expect((await givefirst('user', 'list')).stdout).toMatch(
      /^me@example.com\tAmerica\/New_York\t07:30\tunsubscribed/m,
    );
  });

  it('sends with digest --now --force to a user who is not active, and says so', async () => {
    let stack: LocalStack | undefined;
    try {
      stack = await startCliStack(dataDir);

      const forced = await json('digest', me, '--now', '--force');

      expect(forced.stderr).toMatch(
        /me@example.com is unsubscribed .*; sending anyway \(--force\)/,
      );
      expect(forced.code).toBe(0);
      // Past the refusal: the sender composed it (nothing is due yet) and said so.
      expect(forced.body).toMatchObject({
        status: 'nothing-to-show',
        forced: { state: 'unsubscribed' },
      });
    } finally {
      await stack?.stop();
    }
  });

  it("sends one digest a day with digest --now, and says in words when today's was already sent", async () => {
    let stack: LocalStack | undefined;
    try {
      stack = await startCliStack(dataDir, { clock: 'fixed:2026-03-10T12:00:00Z' });
      await givefirst('user', 'resume', me);
      // Another message than the one the deletion test logs: the same question, its own id.
      const question = path.join(dataDir, 'question.eml');
      const raw = await readFile(fixture('mail/lunch-question.eml'), 'utf8');
      await writeFile(
        question,
        raw.replace(/^Message-ID: .*$/im, 'Message-ID: <digest-now@example.com>'),
      );
      const logged = await givefirst('ingest', question, '--trust-sender');
      expect(logged.stdout).toMatch(/logged/);

      const sent = await givefirst('digest', me, '--now');
      const again = await givefirst('digest', me, '--now');

      expect(sent.code).toBe(0);
      expect(sent.stdout).toMatch(/^sent the digest for 2026-03-10 \(1 item\)$/m);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(
        /^not sent: the digest for 2026-03-10 was already sent \(one a day; givefirst digest me@example.com --dry-run prints what it would say now\)$/m,
      );
    } finally {
      await stack?.stop();
    }
  });

  it('deletes a user only when told to, and then leaves no item of theirs in the table', async () => {
    const logged = await givefirst(
      'ingest',
      fixture('mail/lunch-question.eml'),
      '--trust-sender',
      '--to',
      'log@in.givefirst.localhost',
    );
    expect(logged.stdout).toMatch(/logged/);

    const kept = await answering('no\n', 'user', 'delete', me);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toMatch(/not deleted/);
    // Input that ends unanswered (a script, < /dev/null) keeps the user too.
    const unanswered = await givefirst('user', 'delete', me);
    expect(unanswered.code).toBe(1);
    expect(await stateOfMe()).toBeDefined();

    const deleted = await json('user', 'delete', me, '--yes');
    expect(deleted.code).toBe(0);
    // Two messages: this test's question and the one the digest --now test logged. Their raw mail
    // went when they were logged: none was left to delete.
    expect(deleted.body.deleted).toMatchObject({
      messages: 2,
      addresses: 1,
      ownerRows: 2,
      receipts: 2,
      rawMail: 0,
    });
    expect((await json('user', 'list')).body.users).toEqual([]);

    let stack: LocalStack | undefined;
    try {
      stack = await startCliStack(dataDir, { writeStackFile: false });
      const client = makeDocumentClient({ region: 'local', endpoint: stack.dynamo.endpoint });
      const scan = await client.send(new ScanCommand({ TableName: stack.config.tableName }));
      client.destroy();
      const userId = userIdFor(me);
      // Receipts of mail that logged nothing (none here) name no user in their keys; they expire.
      const theirs = (scan.Items ?? []).filter(
        (item) =>
          !String(item.PK).startsWith('RECEIPT#') &&
          JSON.stringify(item, (_, v) => (v instanceof Set ? [...v] : v)).includes(userId),
      );
      const claims = (scan.Items ?? []).filter((item) => String(item.PK).startsWith('ADDR#'));
      const owners = (scan.Items ?? []).filter((item) => String(item.PK).startsWith('MID#'));
      expect(theirs).toEqual([]);
      expect(claims).toEqual([]);
      expect(owners).toEqual([]);
    } finally {
      await stack?.stop();
    }
  });
});
