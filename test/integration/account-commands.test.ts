import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '#adapters/logger.ts';
import { deleteConfirmationRef } from '#domain/delete-confirmation.ts';
import type { InboundEnvelope, User } from '#domain/model.ts';
import { makeLocalReplyHandler } from '#local/reply-handler.ts';
import { localReplyTokens } from '#local/token-keys.ts';
import { makeRefreshHistory } from '#use-cases/read-history.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { type SentEmail, startDigestRunner } from '../support/digest-runner.ts';
import { scanTable } from '../support/scan-table.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';

/** A small RFC 4180 reader: quoted cells, doubled quotes, CRLF rows; the byte-order mark dropped. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

const byAddress = (a: { address: string }, b: { address: string }) =>
  a.address < b.address ? -1 : 1;
const log = `log@${domain}`;

/**
 * The account commands by reply, through the SMTP door and the SES emulator: a user logs a week of
 * mail (to Alice, Bob and Carol, one message to Alice and Bob together, one from Alice), then
 * replies to a confirmation address. What changed is read from the table itself (a Scan).
 */
describe('account commands by reply', () => {
  let stack: TestStack;
  let me: User;
  let now = new Date('2026-11-23T07:00:00Z');
  const clock = () => now;
  let runner: Awaited<ReturnType<typeof startDigestRunner>>;
  let mail = 0;

  /** Each test in its own hour, so the hourly allowance of answers is the test's own. */
  const nextHour = () => {
    now = new Date(now.getTime() + 3_600_000);
  };
  const sent = (): Promise<SentEmail[]> => runner.sent();
  /** A reply address of the kind an answer carries, for `user`, with this ref. */
  const replyAddress = async (user: User, ref = '2026-11-30') => {
    const tokens = await localReplyTokens(stack.config.dataDir);
    return `reply+${tokens.issue({
      kind: 'confirmation',
      userId: user.userId,
      ref,
      expiresAt: new Date('2027-06-01T00:00:00Z'),
    })}@${domain}`;
  };
  const reply = async (to: string, typed: string, from = 'me@example.com') => {
    mail += 1;
    return stack.sendRaw(
      { from, to: [to] },
      aRawMessage({
        from,
        to,
        subject: 'Re: givefirst',
        date: null,
        body: typed,
        messageId: `<account-${mail}@mail.example.com>`,
      }),
    );
  };
  const answerSince = async (before: number) => {
    const emails = (await sent()).slice(before);
    expect(emails).toHaveLength(1);
    return emails[0] as SentEmail;
  };
  const scan = () => scanTable(stack.dynamo.endpoint, stack.config.tableName);
  /** The raw mail kept on disk, each file's text. */
  const rawMail = async () => {
    const folder = path.join(stack.config.dataDir, 'raw-mail');
    const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((f) =>
      f.isFile(),
    );
    return Promise.all(files.map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')));
  };
  const profileOf = async (user: User) =>
    (await scan()).find((i) => i.PK === `USER#${user.userId}` && i.SK === 'PROFILE');

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
    const week = [
      { to: 'Alice <alice@x.com>', subject: 'Lunch?', day: 23 },
      { to: 'Bob <bob@x.com>', subject: '=SUM(A1) report', day: 24 },
      { to: 'Alice <alice@x.com>, Bob <bob@x.com>', subject: 'Trip, "planning"', day: 25 },
      { to: 'Carol <carol@x.com>', subject: 'Slides', day: 26 },
    ];
    for (const [i, m] of week.entries()) {
      await stack.sendRaw(
        { from: 'me@example.com', to: [log] },
        aRawMessage({
          to: m.to,
          subject: m.subject,
          date: `${['Mon', 'Tue', 'Wed', 'Thu'][i]}, ${m.day} Nov 2026 10:00:00 +0100`,
          body: 'Could you look at this?',
          messageId: `<week-${i}@mail.example.com>`,
        }),
      );
    }
    // Alice answers the lunch question, Cc'd to the log address.
    await stack.sendRaw(
      { from: 'alice@x.com', to: [log] },
      aRawMessage({
        from: 'Alice <alice@x.com>',
        to: 'Me <me@example.com>',
        cc: log,
        subject: 'Re: Lunch?',
        date: 'Fri, 27 Nov 2026 10:00:00 +0100',
        inReplyTo: '<week-0@mail.example.com>',
        references: '<week-0@mail.example.com>',
        body: 'Yes, Thursday works.',
        messageId: '<alice-answer@x.com>',
      }),
    );
    runner = await startDigestRunner(stack, clock);
    now = new Date('2026-11-30T07:00:00Z');
  }, 60_000);

  afterAll(async () => {
    runner?.close();
    await stack?.stop();
  });

  it('resume clears a stop by soft bounces and the soft-bounce count', async () => {
    // Prepare
    nextHour();
    await stack.services.store.countSoftBounce(me.userId, 'n1');
    await stack.services.store.countSoftBounce(me.userId, 'n2');
    await stack.services.store.pauseDigests(me.userId, now, 'soft-bounces');
    const before = (await sent()).length;

    // Act
    await reply(await replyAddress(me), 'resume');

    // Assess
    expect((await answerSince(before)).body.text).toContain('Digests are on again.');
    const profile = await profileOf(me);
    expect(profile?.softBounces).toBeUndefined();
    expect(profile?.stoppedBecause).toBeUndefined();
    expect(profile?.pausedAt).toBeUndefined();
    expect(profile?.GSI2PK).toBeDefined();
    // One soft bounce after the resume is one, not three.
    expect(await stack.services.store.countSoftBounce(me.userId, 'n3')).toBe(1);
    await stack.services.store.clearSoftBounces(me.userId);
  });

  it('export answers with the contacts, threads and settings as CSV and JSON, as contacts and threads compute them', async () => {
    // Prepare
    nextHour();
    const before = (await sent()).length;

    // Act
    await reply(await replyAddress(me), 'export');

    // Assess
    const answer = (await answerSince(before)) as SentEmail & {
      attachments?: { filename: string; content: string; contentType: string }[];
    };
    expect(answer.body.text).toContain(
      'Your data is attached: 3 contacts and 4 threads (contacts.csv, threads.csv)',
    );
    const file = (name: string) =>
      Buffer.from(
        answer.attachments?.find((a) => a.filename === name)?.content ?? '',
        'base64',
      ).toString('utf8');
    const { ledger, threads } = await stack.services.relationships(me, now);
    const listed = await stack.services.listThreads(me, now);
    expect(listed).toEqual(threads);

    const contacts = readCsv(file('contacts.csv'));
    expect(contacts[0]?.slice(0, 4)).toEqual(['address', 'name', 'messages_out', 'messages_in']);
    expect(
      contacts
        .slice(1)
        .map((r) => r.slice(0, 4))
        .sort(),
    ).toEqual(
      ledger.map((c) => [c.address, c.name, String(c.touchesOut), String(c.touchesIn)]).sort(),
    );

    const rows = readCsv(file('threads.csv'));
    const header = rows[0] ?? [];
    const column = (name: string) => header.indexOf(name);
    const expected = threads.flatMap((t) =>
      t.contacts.map((c) =>
        [t.threadKey, t.subject, c.address, c.state, c.dueOn ?? ''].join(' | '),
      ),
    );
    const got = rows
      .slice(1)
      .map((r) =>
        ['thread', 'subject', 'contact', 'state', 'due_on'].map((n) => r[column(n)]).join(' | '),
      );
    // A subject a spreadsheet would run as a formula is written with an apostrophe before it.
    expect(got.sort()).toEqual(
      expected.map((e) => e.replace('=SUM(A1) report', "'=SUM(A1) report")).sort(),
    );
    expect(file('threads.csv')).toContain('"Trip, ""planning"""');

    const settings = Object.fromEntries(readCsv(file('settings.csv')).slice(1));
    expect(settings).toMatchObject({ email: 'me@example.com', time_zone: 'Europe/Berlin' });

    const json = JSON.parse(file('export.json'));
    expect(json.cut).toEqual([]);
    expect([...json.contacts].sort(byAddress)).toEqual(
      JSON.parse(JSON.stringify(ledger)).sort(byAddress),
    );
    expect(json.threads.length).toBe(threads.length);
    expect(json.threads.some((t: { subject: string }) => t.subject.startsWith('=SUM'))).toBe(true);
  });

  /** Every item of a user that names an address, the never-log list aside. */
  const naming = async (user: User, address: string) =>
    (await scan()).filter((item) => {
      const { neverLog: _never, ...rest } = item;
      const ofUser =
        String(item.PK) === `USER#${user.userId}` ||
        JSON.stringify(item, (_, v) => (v instanceof Set ? [...v] : v)).includes(user.userId);
      return (
        ofUser &&
        JSON.stringify(rest, (_, v) => (v instanceof Set ? [...v] : v))
          .toLowerCase()
          .includes(address)
      );
    });

  it('forget removes every record of a contact, keeps the others of a shared message, and never logs them again', async () => {
    // Prepare
    nextHour();
    const address = await replyAddress(me);
    await reply(address, 'cadence alice 30d');
    expect(await naming(me, 'alice@x.com')).not.toEqual([]);
    // A history checkpoint, as each digest send leaves one: it keeps Alice's mail (gzip'd, so the
    // table scan cannot see it: read through the store).
    await makeRefreshHistory({ store: stack.services.store, clock, logger: silentLogger })(me);
    const inCheckpoint = async () =>
      JSON.stringify(await stack.services.store.getCheckpoint(me.userId)).includes('alice@x.com');
    expect(await inCheckpoint()).toBe(true);
    const before = (await sent()).length;

    // Act
    await reply(address, 'forget alice@x.com');

    // Assess
    expect((await answerSince(before)).body.text).toContain(
      'Forgot alice@x.com: 3 messages, 2 threads; they are on your never-log list.',
    );
    expect(await naming(me, 'alice@x.com')).toEqual([]);
    expect(await inCheckpoint()).toBe(false);
    // Logged mail's raw mail went when it was logged; forget deletes any left (none here).
    const kept = (await rawMail()).join('\n');
    for (const id of ['week-0@', 'week-1@', 'week-2@', 'alice-answer@'])
      expect(kept).not.toContain(id);
    expect((await profileOf(me))?.neverLog).toEqual(['alice@x.com']);
    const { ledger, threads } = await stack.services.relationships(me, now);
    expect(ledger.map((c) => c.address).sort()).toEqual(['bob@x.com', 'carol@x.com']);
    const trip = threads.find((t) => t.subject.startsWith('Trip'));
    expect(trip?.contacts.map((c) => c.address)).toEqual(['bob@x.com']);
    // A later message Bcc'd to the log address and sent to Alice alone logs nothing.
    const later = await stack.sendRaw(
      { from: 'me@example.com', to: [log] },
      aRawMessage({
        to: 'Alice <alice@x.com>',
        subject: 'One more thing',
        date: 'Mon, 30 Nov 2026 09:00:00 +0100',
        messageId: '<after-forget@mail.example.com>',
      }),
    );
    expect(later).not.toContain('(logged)');
    expect(await naming(me, 'alice@x.com')).toEqual([]);
    // Forgetting again finds nothing more, and says so.
    const again = (await sent()).length;
    await reply(address, 'forget alice@x.com');
    expect((await answerSince(again)).body.text).toContain(
      'Nothing was known about alice@x.com, so nothing was removed; they were already on your never-log list',
    );
  });

  it('forget of a contact never known says so, and still never logs them', async () => {
    nextHour();
    const before = (await sent()).length;

    await reply(await replyAddress(me), 'forget zed@nowhere.example\nforget me@example.com');

    const text = (await answerSince(before)).body.text ?? '';
    expect(text).toContain('that is your own address');
    expect(text).toContain(
      'Nothing was known about zed@nowhere.example, so nothing was removed; they are on your never-log list, so nothing naming them will be logged.',
    );
    expect((await profileOf(me))?.neverLog).toEqual(['alice@x.com', 'zed@nowhere.example']);
  });

  describe('delete my data', () => {
    let confirmAt = '';
    const userItems = async () =>
      (await scan()).filter((item) =>
        JSON.stringify(item, (_, v) => (v instanceof Set ? [...v] : v)).includes(me.userId),
      );

    it('asks for a confirmation with a fresh delete-confirmation address, and deletes nothing', async () => {
      nextHour();
      const before = (await sent()).length;
      const items = (await userItems()).length;

      await reply(await replyAddress(me), 'delete my data');

      const answer = await answerSince(before);
      expect(answer.body.text).toContain('reply “yes, delete” to this mail within');
      confirmAt = answer.replyTo[0] ?? '';
      const tokens = await localReplyTokens(stack.config.dataDir);
      expect(tokens.read(confirmAt.replace(/^reply\+|@.*$/g, ''), now)).toMatchObject({
        ok: true,
        claims: { kind: 'confirmation', userId: me.userId, ref: deleteConfirmationRef },
      });
      // The command mail and the answer's counter are recorded; nothing else changed.
      expect((await userItems()).length).toBeGreaterThanOrEqual(items);
      expect(await profileOf(me)).toBeDefined();
    });

    it('“yes, delete” in reply to another confirmation deletes nothing', async () => {
      nextHour();
      const before = (await sent()).length;

      await reply(await replyAddress(me), 'yes, delete');

      expect((await answerSince(before)).body.text).toContain(
        '“yes, delete” works only in reply to the mail that asks you to confirm “delete my data”; nothing was deleted.',
      );
      expect(await profileOf(me)).toBeDefined();
    });

    it('“yes, delete” from someone else to the confirmation address deletes nothing and is not answered', async () => {
      nextHour();
      const before = (await sent()).length;

      const response = await reply(confirmAt, 'yes, delete', 'mallory@evil.example');

      expect(response).toContain('(rejected)');
      expect((await sent()).length).toBe(before);
      expect(await profileOf(me)).toBeDefined();
      expect((await stack.services.relationships(me, now)).ledger.length).toBeGreaterThan(0);
    });

    it('“yes, delete” in reply to the confirmation deletes every item and the raw mail, then says goodbye once, last', async () => {
      // Prepare
      nextHour();
      const before = (await sent()).length;

      // Act
      const response = await reply(confirmAt, 'yes delete');
      const again = await stack.sendRaw(
        { from: 'me@example.com', to: [confirmAt] },
        aRawMessage({
          from: 'me@example.com',
          to: confirmAt,
          subject: 'Re: givefirst',
          date: null,
          body: 'yes delete',
          messageId: `<account-${mail}@mail.example.com>`,
        }),
      );

      // Assess
      expect(response).toContain('(steered)');
      expect(again).toContain('(rejected)');
      const goodbye = await answerSince(before);
      expect(goodbye.destination.to).toEqual(['me@example.com']);
      expect(goodbye.subject).toBe('Your givefirst data is deleted');
      expect(goodbye.body.text).toContain('Everything givefirst kept for you is deleted');
      expect(goodbye.replyTo).toEqual([]);
      // What is left naming the user: the confirming mail's own receipt, still being handled when
      // the deletion ran (it expires with its raw mail).
      const left = await userItems();
      expect(left.map((i) => String(i.PK).split('#')[0])).toEqual(['RECEIPT']);
      expect((await scan()).filter((i) => String(i.PK).startsWith('ADDR#me'))).toEqual([]);
      expect((await scan()).filter((i) => String(i.PK).startsWith('MID#'))).toEqual([]);
      const raw = await rawMail();
      expect(raw.every((r) => /yes,? delete/.test(r))).toBe(true);
      expect(await stack.services.store.findUserByAddress('me@example.com')).toBeNull();
    });
  });

  it('a deletion cut short by a failure says no goodbye; the same receipt run again finishes it and says goodbye once', async () => {
    // Prepare
    nextHour();
    const added = await stack.services.registerUser({ email: 'you@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
    const you = added.user;
    for (const i of [1, 2, 3]) {
      await stack.sendRaw(
        { from: 'you@example.com', to: [log] },
        aRawMessage({
          from: 'you@example.com',
          to: `Dee <dee${i}@d.example>`,
          subject: `Question ${i}`,
          date: null,
          messageId: `<you-${i}@mail.example.com>`,
        }),
      );
    }
    const tokens = await localReplyTokens(stack.config.dataDir);
    const confirmAt = `reply+${tokens.issue({
      kind: 'confirmation',
      userId: you.userId,
      ref: deleteConfirmationRef,
      expiresAt: new Date(now.getTime() + 86_400_000),
    })}@${domain}`;
    const rawMailStore = stack.services.rawMail;
    const remove = rawMailStore.remove.bind(rawMailStore);
    let removed = 0;
    // The disk fails after two raw messages are gone: the deletion stops half way.
    rawMailStore.remove = async (key: string) => {
      if (++removed > 2) throw new Error('disk gone');
      await remove(key);
    };
    const before = (await sent()).length;

    // Act
    let response: string;
    try {
      response = await reply(confirmAt, 'yes, delete', 'you@example.com');
    } finally {
      rawMailStore.remove = remove;
    }
    const afterCrash = (await sent()).length;
    const [failed] = (await stack.services.store.listFailedReceipts(10)).filter((r) =>
      r.envelope.recipients.includes(confirmAt),
    );
    const replies = await makeLocalReplyHandler(stack.services, {
      dataDir: stack.config.dataDir,
      mailDomain: domain,
      sesEndpoint: stack.ses.endpoint,
      clock,
      logger: silentLogger,
    });
    const redriven = await stack.services
      .makeIngest(replies.answers)(failed?.envelope as InboundEnvelope)
      .finally(replies.close);

    // Assess
    expect(response).toContain('(kept for redrive)');
    expect(afterCrash).toBe(before);
    expect(redriven).toMatchObject({ status: 'steered', confirmed: true });
    const goodbye = await answerSince(before);
    expect(goodbye.destination.to).toEqual(['you@example.com']);
    expect(await stack.services.store.getUser(you.userId)).toBeNull();
    expect((await scan()).filter((i) => String(i.PK) === `USER#${you.userId}`)).toEqual([]);
    expect((await rawMail()).join('\n')).not.toMatch(/you-[123]@mail/);
  });
});
