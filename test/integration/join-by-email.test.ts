import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentEmail } from '../support/digest-runner.ts';
import { scanTable } from '../support/scan-table.ts';
import { aComposedMessage, aSigningDomain, aTestDns } from '../support/test-dns.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/givefirst.js', import.meta.url));
const build = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));

const domain = 'in.example.com';
const start = `start@${domain}`;
const example = aSigningDomain('example.com');
const other = aSigningDomain('other.test');
const slow = aSigningDomain('slow.test');
const dns = aTestDns({
  keys: [example, other],
  txt: {
    'example.com': 'v=spf1 -all',
    '_dmarc.example.com': 'v=DMARC1; p=reject',
    '_dmarc.other.test': 'v=DMARC1; p=reject',
  },
  // slow.test's DNS never answers: its mail cannot be judged now.
  failing: {
    '_dmarc.slow.test': 'ETIMEOUT',
    'slow.test': 'ETIMEOUT',
    'test._domainkey.slow.test': 'ETIMEOUT',
  },
});

/**
 * Joining by email through the strict SMTP door (mailauth, test DNS) and the SES emulator: the
 * operator allows a domain with the compiled CLI, a stranger writes to start@, is welcomed once,
 * replies yes and is a user; and every bad input changes nothing it should not.
 */
describe('joining by email', () => {
  let stack: TestStack;
  /** The stack's clock: the test moves it, nothing sleeps. */
  let now = new Date('2026-03-06T09:00:00Z');
  let mails = 0;

  const givefirst = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [bin, ...args], {
        env: { ...process.env, GIVEFIRST_DATA_DIR: stack.config.dataDir },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
    }
  };
  const sent = async () =>
    ((await (await fetch(`${stack.ses.endpoint}/store`)).json()) as { emails: SentEmail[] }).emails;
  const sentTo = async (address: string) =>
    (await sent()).filter((e) => e.destination.to.includes(address));
  const rejections = async () =>
    (await stack.services.store.listRejections({ days: 40, limit: 500 })).map((r) => ({
      from: r.from,
      reason: r.reason,
      detail: r.detail,
    }));
  const rejectionsOf = async (from: string) =>
    (await rejections()).filter((r) => r.from === from).map((r) => r.reason);
  /**
   * Sends one message over SMTP to its To address (or to `rcpt`, a Bcc), signed by `key` when
   * given; the server's reply.
   */
  const mail = async (
    message: SendMailOptions & { from: string; to: string },
    key?: typeof example,
    rcpt = message.to,
  ) => {
    mails += 1;
    const raw = await aComposedMessage(
      { messageId: `<m${mails}@${message.from.split('@')[1]}>`, ...message },
      key,
    );
    const sender = /<([^>]+)>/.exec(message.from)?.[1] ?? message.from;
    return stack.sendRaw({ from: sender, to: [rcpt] }, raw);
  };
  const askToJoin = (
    from: string,
    key?: typeof example,
    date = 'Fri, 06 Mar 2026 10:00:00 +0100',
  ) =>
    mail({ from, to: start, subject: 'Joining', text: 'Hello, I would like to join.', date }, key);
  const replyTo = (welcome: SentEmail | undefined) => welcome?.replyTo[0] ?? '';
  const userOf = (address: string) => stack.services.store.findUserByAddress(address);

  beforeAll(async () => {
    await run(process.execPath, [build]);
    stack = await startTestStack({
      mailDomain: domain,
      relaxedAuth: false,
      resolver: dns,
      clock: () => now,
      writeStackFile: true,
    });
    const me = await stack.services.registerUser({ email: 'me@example.com' });
    if (!me.ok) throw new Error(me.problems.join('; '));
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('with no domain allowed, start@ is refused as before and nobody is written to', async () => {
    // Act
    const response = await askToJoin('early@example.com', example);

    // Assess
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('early@example.com')).toEqual(['onboarding-closed']);
    expect(await sentTo('early@example.com')).toEqual([]);
  });

  it('the operator allows a domain and lists it', async () => {
    // Act
    const allowed = await givefirst('allow', 'Example.com');
    const listed = await givefirst('allow', '--list', '--json');

    // Assess
    expect(allowed).toMatchObject({ code: 0 });
    expect(allowed.stdout).toContain(
      `example.com allowed: its people may join by writing to ${start}`,
    );
    expect(JSON.parse(listed.stdout)).toEqual({
      domains: [{ domain: 'example.com', allowedAt: expect.any(String) }],
    });
  });

  it('a stranger writes to start@, is welcomed, replies yes with a zone, joins, and logs mail', async () => {
    // Act 1: the welcome, guessing New York from the -0500 of their mail
    const asked = await askToJoin(
      'Stranger@example.com',
      example,
      'Fri, 06 Mar 2026 04:00:00 -0500',
    );
    const [welcome, ...more] = await sentTo('stranger@example.com');

    // Assess 1
    expect(asked).toContain('(welcomed)');
    expect(more).toEqual([]);
    expect(welcome?.subject).toBe('Welcome to givefirst: reply "yes" to start');
    expect(replyTo(welcome)).toMatch(new RegExp(`^reply\\+[a-z2-7]{52}@${domain}$`));
    expect(welcome?.headers).toContainEqual({ name: 'Auto-Submitted', value: 'auto-generated' });
    const text = welcome?.body.text ?? '';
    expect(text).toContain(`BCC log@${domain}`);
    expect(text).toContain('give before you ask');
    expect(text).toContain('guessed your time zone from your mail: America/New_York');
    expect(text).toContain('tz Europe/Berlin');
    expect(await userOf('stranger@example.com')).toBeNull();

    // Act 2: yes, correcting the zone
    now = new Date('2026-03-06T10:00:00Z');
    const yes = await mail(
      {
        from: 'Stranger <stranger@example.com>',
        to: replyTo(welcome),
        subject: 'Re: Welcome to givefirst',
        text: `Yes\ntz Europe/Berlin\n\nOn Fri, givefirst wrote:\n> ${text.split('\n').join('\n> ')}`,
        date: 'Fri, 06 Mar 2026 05:00:00 -0500',
      },
      example,
    );

    // Assess 2
    expect(yes).toContain('(joined)');
    const user = await userOf('stranger@example.com');
    expect(user).toMatchObject({
      email: 'stranger@example.com',
      timeZone: 'Europe/Berlin',
      digestAt: '08:00',
    });
    const confirmations = (await sentTo('stranger@example.com')).slice(1);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.body.text).toContain(`BCC log@${domain}`);
    expect(confirmations[0]?.body.text).toContain('Your digest comes at 08:00, Europe/Berlin time');

    // Act 3: they log their first message
    const logged = await mail(
      {
        from: 'stranger@example.com',
        to: 'alice@x.com',
        bcc: `log@${domain}`,
        subject: 'Coffee?',
        text: 'Could we meet next week?',
        date: new Date('2026-03-06T10:30:00Z'),
      },
      example,
      `log@${domain}`,
    );
    now = new Date('2026-03-06T10:31:00Z');

    // Assess 3
    expect(logged).toContain('(logged)');
    if (!user) throw new Error('not registered');
    const threads = await stack.services.listThreads(user);
    expect(threads.map((t) => t.subject)).toEqual(['Coffee?']);
  });

  it('yes twice: one registration, one answer', async () => {
    // Prepare
    const [welcome] = await sentTo('stranger@example.com');
    const before = (await sentTo('stranger@example.com')).length;

    // Act
    const again = await mail(
      {
        from: 'stranger@example.com',
        to: replyTo(welcome),
        subject: 'Re: Welcome',
        text: 'yes\ntz Asia/Tokyo',
      },
      example,
    );

    // Assess
    expect(again).toContain('(rejected)');
    expect(await rejectionsOf('stranger@example.com')).toContain('already-a-user');
    expect(await sentTo('stranger@example.com')).toHaveLength(before);
    expect((await userOf('stranger@example.com'))?.timeZone).toBe('Europe/Berlin');
    const users = await stack.services.store.listUsers();
    expect(users.filter((u) => u.email === 'stranger@example.com')).toHaveLength(1);
  });

  it('100 messages to start@ from one address in a minute make exactly one welcome a day', async () => {
    // Act: a hundred messages over a minute, the clock moving 0.6 s each
    const base = new Date('2026-03-06T11:00:00Z').getTime();
    const responses: string[] = [];
    for (let i = 0; i < 100; i++) {
      now = new Date(base + i * 600);
      responses.push(await askToJoin('hundred@example.com', example));
    }

    // Assess
    expect(responses.filter((r) => r.includes('(welcomed)'))).toHaveLength(1);
    expect(await sentTo('hundred@example.com')).toHaveLength(1);
    const reasons = await rejectionsOf('hundred@example.com');
    expect(reasons).toHaveLength(99);
    expect(new Set(reasons)).toEqual(new Set(['welcome-already-sent']));

    // Act 2: the next day they may be welcomed again
    now = new Date('2026-03-07T09:00:00Z');
    const nextDay = await askToJoin('hundred@example.com', example);

    // Assess 2
    expect(nextDay).toContain('(welcomed)');
    expect(await sentTo('hundred@example.com')).toHaveLength(2);
    expect(await userOf('hundred@example.com')).toBeNull();
  }, 120_000);

  it('an unauthenticated start@ message is refused and nobody is written to', async () => {
    // Act: From example.com, not signed (DMARC p=reject)
    const response = await askToJoin('forged@example.com');

    // Assess
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('forged@example.com')).toEqual(['sender-not-authenticated']);
    expect(await sentTo('forged@example.com')).toEqual([]);
  });

  it('a sender whose DNS cannot be reached now is asked to retry (451), not refused', async () => {
    // Act
    const sending = askToJoin('sam@slow.test', slow);

    // Assess
    await expect(sending).rejects.toMatchObject({ responseCode: 451 });
    expect(await rejectionsOf('sam@slow.test')).toEqual([]);
  });

  it('someone who already has an account is told so, once a day', async () => {
    // Act
    const first = await askToJoin('me@example.com', example);
    const second = await askToJoin('me@example.com', example);

    // Assess
    expect(first).toContain('(rejected)');
    expect(second).toContain('(rejected)');
    expect(await rejectionsOf('me@example.com')).toEqual(['already-a-user', 'already-a-user']);
    const notes = await sentTo('me@example.com');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body.text).toContain('You already have a givefirst account');
  });

  it('someone from a domain not allowed is told so once, and nothing is registered', async () => {
    // Act
    const first = await askToJoin('olga@other.test', other);
    const second = await askToJoin('olga@other.test', other);

    // Assess
    expect(first).toContain('(rejected)');
    expect(second).toContain('(rejected)');
    expect(await rejectionsOf('olga@other.test')).toEqual([
      'domain-not-allowed',
      'domain-not-allowed',
    ]);
    const notes = await sentTo('olga@other.test');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body.text).toContain('does not take sign-ups from other.test');
    expect(await userOf('olga@other.test')).toBeNull();
  });

  it("yes with another person's token changes nothing", async () => {
    // Prepare
    const [welcome] = await sentTo('hundred@example.com');
    const before = (await sent()).length;

    // Act: eve, authenticated, answers hundred's welcome
    const response = await mail(
      { from: 'eve@example.com', to: replyTo(welcome), subject: 'Re: Welcome', text: 'yes' },
      example,
    );

    // Assess
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('eve@example.com')).toEqual(['not-the-token-user']);
    expect(await userOf('eve@example.com')).toBeNull();
    expect(await userOf('hundred@example.com')).toBeNull();
    expect(await sent()).toHaveLength(before);
  });

  it('yes from a spoofed From changes nothing', async () => {
    // Prepare
    const [welcome] = await sentTo('hundred@example.com');
    const before = (await sent()).length;

    // Act: hundred's address, not signed
    const response = await mail({
      from: 'hundred@example.com',
      to: replyTo(welcome),
      subject: 'Re: Welcome',
      text: 'yes',
    });

    // Assess
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('hundred@example.com')).toContain('sender-not-authenticated');
    expect(await userOf('hundred@example.com')).toBeNull();
    expect(await sent()).toHaveLength(before);
  });

  it('a reply to the welcome that does not say yes is told how to start, once a day', async () => {
    // Prepare
    const [welcome] = await sentTo('hundred@example.com');
    const before = (await sentTo('hundred@example.com')).length;

    // Act
    const first = await mail(
      {
        from: 'hundred@example.com',
        to: replyTo(welcome),
        subject: 'Re: Welcome',
        text: 'What is this?',
      },
      example,
    );
    const second = await mail(
      { from: 'hundred@example.com', to: replyTo(welcome), subject: 'Re: Welcome', text: 'Hm?' },
      example,
    );

    // Assess
    expect(first).toContain('(rejected)');
    expect(second).toContain('(rejected)');
    const answers = (await sentTo('hundred@example.com')).slice(before);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body.text).toContain('To start, reply "yes" on a line of its own');
    expect(await userOf('hundred@example.com')).toBeNull();
  });

  it('an expired invitation registers nobody and says to write to start@ again', async () => {
    // Prepare: the first welcome's reply address works for 14 days
    const [welcome] = await sentTo('hundred@example.com');
    now = new Date('2026-03-25T09:00:00Z');
    const before = (await sentTo('hundred@example.com')).length;

    // Act
    const response = await mail(
      { from: 'hundred@example.com', to: replyTo(welcome), subject: 'Re: Welcome', text: 'yes' },
      example,
    );

    // Assess
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('hundred@example.com')).toContain('expired-reply-token');
    expect(await userOf('hundred@example.com')).toBeNull();
    const answers = (await sentTo('hundred@example.com')).slice(before);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body.text).toContain(`Write to ${start} again`);
  });

  it('the operator removes the domain: start@ is closed again', async () => {
    // Act
    const removed = await givefirst('allow', '--remove', 'example.com');
    const response = await askToJoin('late@example.com', example);

    // Assess
    expect(removed.code).toBe(0);
    expect(response).toContain('(rejected)');
    expect(await rejectionsOf('late@example.com')).toEqual(['onboarding-closed']);
    expect(await sentTo('late@example.com')).toEqual([]);
  });

  it('deleting a member who joined leaves no record of the mails about joining', async () => {
    // Prepare
    const joinRecords = async () =>
      (await scanTable(stack.dynamo.endpoint, stack.config.tableName)).filter(
        (item) => item.PK === 'JOIN#stranger@example.com',
      );
    const before = await joinRecords();

    // Act
    const deleted = await givefirst('user', 'delete', 'stranger@example.com', '--yes');

    // Assess
    expect(before.length).toBeGreaterThan(0);
    expect(deleted.code).toBe(0);
    expect(await joinRecords()).toEqual([]);
    expect(await userOf('stranger@example.com')).toBeNull();
    // Their mail as received is gone too: the welcome's, the yes's, and the refused second yes's.
    const folder = path.join(stack.config.dataDir, 'raw-mail');
    const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((f) =>
      f.isFile(),
    );
    const theirs = [];
    for (const file of files) {
      const text = await readFile(path.join(file.parentPath, file.name), 'utf8');
      if (/^From: .*stranger@example\.com/im.test(text)) theirs.push(file.name);
    }
    expect(theirs).toEqual([]);
  });
});
