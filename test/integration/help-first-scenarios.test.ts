import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

/** A month of one user's real mail through the SMTP door, then Help first as the digest will show it. */
describe('Help first, from real mail', () => {
  let stack: TestStack;
  let me: User;
  const send = (raw: string, to = [log], from = 'me@example.com') =>
    stack.sendRaw({ from, to }, raw);
  const helpAt = async (iso: string) =>
    (await stack.services.relationships(me, new Date(iso))).helpFirst;

  beforeAll(async () => {
    stack = await startTestStack({
      mailDomain: domain,
      clock: 'fixed:2026-05-22T12:00:00Z',
      receivedAsDated: true,
    });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;

    // Robin and the user wrote each other in January: a real two-way relationship, quiet since.
    await send(
      aRawMessage({
        to: 'Robin Park <robin@r.com>',
        subject: 'New year',
        date: 'Mon, 5 Jan 2026 10:00:00 +0100',
        messageId: '<ny@mail.example.com>',
        body: 'Happy new year, Robin! How was the trip?',
      }),
    );
    await send(
      aRawMessage({
        from: 'Robin Park <robin@r.com>',
        to: 'me@example.com',
        cc: log,
        subject: 'Re: New year',
        date: 'Tue, 6 Jan 2026 10:00:00 +0100',
        inReplyTo: '<ny@mail.example.com>',
        references: '<ny@mail.example.com>',
        body: 'Great, thanks! Lots of snow.',
      }),
      [log],
      'robin@r.com',
    );
    // Sam introduced the user to Lee; the user thanks Sam.
    await send(
      aRawMessage({
        to: 'Sam Lee <sam@s.com>',
        subject: 'Lee',
        date: 'Mon, 4 May 2026 10:00:00 +0200',
        body: 'Thank you so much for the intro to Lee! We are meeting on Friday.\n\nBest,\nMe',
      }),
    );
    // Kim is asked for a reference; nothing was ever given to Kim.
    await send(
      aRawMessage({
        to: 'Kim <kim@k.com>',
        subject: 'Reference',
        date: 'Wed, 6 May 2026 10:00:00 +0200',
        body: 'Hi Kim, could you write me a reference for the Berlin job?',
      }),
    );
    // The user offers Dana an intro.
    await send(
      aRawMessage({
        to: 'Dana Reyes <dana@d.com>',
        subject: 'Acme',
        date: 'Thu, 14 May 2026 10:00:00 +0200',
        messageId: '<acme@mail.example.com>',
        body: "Great meeting you today. I'll introduce you to the Acme team next week.",
      }),
    );
    // None of these is a promise, a thanks or an ask of anyone:
    await send(
      aRawMessage({
        to: Array.from({ length: 11 }, (_, i) => `p${i}@team.example`).join(', '),
        subject: 'Slides',
        date: 'Fri, 15 May 2026 10:00:00 +0200',
        body: "I'll send everyone the slides tomorrow.",
      }),
    );
    await send(
      aRawMessage({
        to: 'Ann <ann@a.com>',
        subject: 'Re: Lee',
        date: 'Fri, 15 May 2026 11:00:00 +0200',
        body: 'Glad it worked out.\n\nOn Thu, 14 May 2026 at 09:00, Ann <ann@a.com> wrote:\n> Thank you for the intro to Lee, it was great.\n',
      }),
    );
    await send(
      aRawMessage({
        to: 'Bo <bo@b.com>',
        subject: 'Away',
        date: 'Fri, 15 May 2026 12:00:00 +0200',
        body: "I'll be out of office next week.\n\n--\nLet me know if I can help\nMe",
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('ranks the promise, the favour owed, the give-before-you-ask, then the quiet relationship, each with its reason', async () => {
    const help = await helpAt('2026-05-20T08:00:00+02:00');

    expect(help.items.map((i) => [i.kind, i.address, i.reason])).toEqual([
      [
        'promise',
        'dana@d.com',
        `You told Dana "I'll introduce you to the Acme team next week." 6 days ago.`,
      ],
      [
        'favour-owed',
        'sam@s.com',
        'Sam helped you 16 days ago ("Thank you so much for the intro to Lee!") — a good moment to return the favour.',
      ],
      [
        'give-before-ask',
        'kim@k.com',
        `You asked Kim for something ("Hi Kim, could you write me a reference for the Berlin job?"); is there something you could offer Kim while that's open?`,
      ],
      [
        'going-quiet',
        'robin@r.com',
        "You and Robin haven't written in 4 months (you usually do every 3 months).",
      ],
    ]);
    expect(help.more).toBe(0);
  });

  it('shows the ledger behind it', async () => {
    const { ledger } = await stack.services.relationships(
      me,
      new Date('2026-05-20T08:00:00+02:00'),
    );
    const of = (address: string) => ledger.find((l) => l.address === address);

    expect(of('robin@r.com')).toMatchObject({
      touchesOut: 1,
      touchesIn: 1,
      twoWay: true,
      goingQuiet: true,
      cadenceDays: 90,
    });
    expect(of('dana@d.com')).toMatchObject({
      openPromises: [expect.objectContaining({ subject: 'Acme' })],
      favoursGiven: 0,
    });
    expect(of('ann@a.com')).toMatchObject({ favoursReceived: 0, owed: null });
    expect(of('bo@b.com')).toMatchObject({ openPromises: [], openAsks: [] });
    expect(of('p0@team.example')).toMatchObject({ openPromises: [], openAsks: [] });
  });

  it('drops the promise once the user gives, tagged `gave`', async () => {
    await send(
      aRawMessage({
        to: 'Dana Reyes <dana@d.com>, Acme <team@acme.example>',
        subject: 'Intro: Dana <> Acme',
        date: 'Thu, 21 May 2026 10:00:00 +0200',
        body: 'Dana, meet the Acme team. Acme, meet Dana.',
      }),
      [`log+gave@${domain}`],
    );

    const help = await helpAt('2026-05-22T08:00:00+02:00');

    expect(help.items.map((i) => i.address)).not.toContain('dana@d.com');
    const { ledger } = await stack.services.relationships(
      me,
      new Date('2026-05-22T08:00:00+02:00'),
    );
    expect(ledger.find((l) => l.address === 'dana@d.com')).toMatchObject({
      openPromises: [],
      favoursGiven: 1,
    });
  });
});
