import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '#domain/model.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

describe('BCC logging through the local SMTP front door', () => {
  let stack: TestStack;
  let me: User;

  const send = (raw: string, to: string[] = [log], from = 'me@example.com') =>
    stack.sendRaw({ from, to }, raw);
  /** Each contact's ledger, as `givefirst contacts` shows it. */
  const contactsOf = async (user: User = me) =>
    Object.fromEntries(
      (await stack.services.relationships(user)).ledger.map((c) => [c.address, c]),
    );
  const threadBySubject = async (subject: string) =>
    (await stack.services.listThreads(me)).find((t) => t.subject === subject);
  const rejectionOf = async (subject: string) =>
    (await stack.services.store.listRejections({ days: 2, limit: 100 })).find(
      (r) => r.subject === subject,
    );
  const storedMessage = (messageId: string) => stack.storedMessage(me.userId, messageId);

  beforeAll(async () => {
    stack = await startTestStack({ mailDomain: domain, clock: 'fixed:2026-03-06T12:00:00Z' });
    const added = await stack.services.registerUser({
      email: 'me@example.com',
      aliases: ['me@work.example.org'],
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    me = added.user;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('logs To and Cc contacts and awaits a reply from To only, due in 3 business days', async () => {
    // Act
    const reply = await send(
      aRawMessage({
        subject: 'Lunch next week?',
        to: '"Smith, Alice" <alice@x.com>',
        cc: 'bob@y.com',
        date: 'Thu, 5 Mar 2026 17:00:00 +0100',
      }),
    );

    // Assess
    expect(reply).toMatch(/logged/);
    const contacts = await contactsOf();
    expect(contacts['alice@x.com']).toMatchObject({ name: 'Smith, Alice', touchesOut: 1 });
    expect(contacts['bob@y.com']).toMatchObject({ touchesOut: 1 });
    const thread = await threadBySubject('Lunch next week?');
    expect(thread?.contacts.map((a) => [a.address, a.state, a.dueOn])).toEqual([
      ['alice@x.com', 'waiting', '2026-03-10'],
    ]);
  });

  it('treats a thank-you that asks nothing as a touch, not an awaited reply', async () => {
    await send(
      aRawMessage({
        subject: 'Thank you!',
        to: 'carol@z.com',
        body: 'Thank you so much for yesterday.\n\nMe',
      }),
    );

    expect((await contactsOf())['carol@z.com']?.touchesOut).toBe(1);
    expect((await threadBySubject('Thank you!'))?.contacts).toEqual([]);
  });

  it('logs the same message delivered three times once', async () => {
    const raw = aRawMessage({
      subject: 'Triple',
      to: 'dana@d.com',
      messageId: '<triple@mail.example.com>',
    });

    const replies = [await send(raw), await send(raw), await send(raw)];

    expect(replies[0]).toMatch(/logged/);
    expect(replies.slice(1).every((r) => /duplicate/.test(r))).toBe(true);
    expect((await contactsOf())['dana@d.com']?.touchesOut).toBe(1);
  });

  it('rejects mail from an address that is not a registered user, with the reason listed', async () => {
    const reply = await send(
      aRawMessage({ from: 'mallory@evil.example', subject: 'Stranger' }),
      [log],
      'mallory@evil.example',
    );

    expect(reply).toMatch(/rejected/);
    expect(await rejectionOf('Stranger')).toMatchObject({
      reason: 'unknown-sender',
      from: 'mallory@evil.example',
    });
  });

  it('accepts an alias as the user and never counts the user or the log address as contacts', async () => {
    await send(
      aRawMessage({
        from: 'me@work.example.org',
        subject: 'Via alias',
        to: 'erin@e.com, me@example.com',
        cc: log,
      }),
    );

    const contacts = await contactsOf();
    expect(contacts['erin@e.com']?.touchesOut).toBe(1);
    expect(contacts['me@example.com']).toBeUndefined();
    expect(contacts[log]).toBeUndefined();
  });

  it('says there is nothing to track when the user Bccs only themselves', async () => {
    const reply = await send(aRawMessage({ subject: 'Note to self', to: 'me@example.com' }));

    expect(reply).toMatch(/rejected/);
    expect(await rejectionOf('Note to self')).toMatchObject({ reason: 'nothing-to-track' });
  });

  it('treats a message to more than 10 people as a broadcast: touches, no awaited replies', async () => {
    const many = Array.from({ length: 11 }, (_, i) => `p${i}@team.example`).join(', ');

    await send(aRawMessage({ subject: 'Team update: can everyone reply?', to: many }));

    const contacts = await contactsOf();
    expect(Object.keys(contacts).filter((a) => a.endsWith('@team.example'))).toHaveLength(11);
    expect((await threadBySubject('Team update: can everyone reply?'))?.contacts).toEqual([]);
  });

  it('logs Cc contacts of a message whose To is an undisclosed-recipients group', async () => {
    await send(
      aRawMessage({ subject: 'Undisclosed', to: 'undisclosed-recipients:;', cc: 'frank@f.com' }),
    );

    expect((await contactsOf())['frank@f.com']?.touchesOut).toBe(1);
    expect((await threadBySubject('Undisclosed'))?.contacts).toEqual([]);
  });

  it('keeps display names with commas and quotes intact', async () => {
    await send(
      aRawMessage({
        subject: 'Names',
        to: '"O\'Brien, Grace \\"G\\"" <grace@g.com>, "Doe, J." <j@d.org>',
      }),
    );

    const contacts = await contactsOf();
    expect(contacts['grace@g.com']?.name).toBe('O\'Brien, Grace "G"');
    expect(contacts['j@d.org']?.name).toBe('Doe, J.');
  });

  it('uses the receipt time when Date is missing, and says so in the record', async () => {
    await send(
      aRawMessage({
        subject: 'No date',
        to: 'hana@h.com',
        date: null,
        messageId: '<nodate@mail.example.com>',
      }),
    );

    const message = await storedMessage('<nodate@mail.example.com>');
    expect(message).toMatchObject({ sentAt: '2026-03-06T12:00:00.000Z', dateSource: 'receipt' });
  });

  it('derives a stable id for a message without Message-ID, so a re-delivery is still one record', async () => {
    const raw = aRawMessage({ subject: 'No id', to: 'ivan@i.com', messageId: null });

    const replies = [await send(raw), await send(raw)];

    expect(replies[0]).toMatch(/logged/);
    expect(replies[1]).toMatch(/duplicate/);
    expect((await contactsOf())['ivan@i.com']?.touchesOut).toBe(1);
  });

  it('rejects mail to an unknown local part at the domain', async () => {
    const reply = await send(aRawMessage({ subject: 'Wrong box' }), [`hello@${domain}`]);

    expect(reply).toMatch(/rejected/);
    expect(await rejectionOf('Wrong box')).toMatchObject({ reason: 'unknown-address' });
  });

  it('logs a message with an unknown tag and names the tag in the record', async () => {
    const reply = await send(
      aRawMessage({ subject: 'Tagged', to: 'judy@j.com', messageId: '<tagged@mail.example.com>' }),
      [`log+ask+bananas@${domain}`],
    );

    expect(reply).toMatch(/logged/);
    const message = await storedMessage('<tagged@mail.example.com>');
    expect(message).toMatchObject({ tags: { kinds: ['ask'], window: null, unknown: ['bananas'] } });
  });

  it('refuses to relay mail for other domains at the SMTP door', async () => {
    await expect(
      send(aRawMessage({ subject: 'Relay' }), ['someone@elsewhere.example']),
    ).rejects.toThrow(/550|relay/i);
  });
});
