import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import type { InboundEnvelope, User } from '#domain/model.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeListThreads } from '#use-cases/list-threads.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import { MemoryRawMail } from '../support/memory-raw-mail.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;
const receivedAt = new Date('2026-03-12T12:00:00Z');

/** A month of one user's mail, as it reaches the log address (sender, envelope recipients, bytes). */
const conversation: { from: string; to: string[]; raw: string }[] = [
  // A question to Alice and Bob.
  {
    from: 'me@example.com',
    to: [log],
    raw: aRawMessage({
      to: 'Alice <alice@x.com>, Bob <bob@y.com>',
      subject: 'Plans for April?',
      date: 'Mon, 2 Mar 2026 10:00:00 +0100',
      messageId: '<m1@mail.example.com>',
      body: 'Shall we meet in April? Which week suits you?',
    }),
  },
  // Bob answers, with the log address in Cc.
  {
    from: 'bob@y.com',
    to: [log],
    raw: aRawMessage({
      from: 'Bob <bob@y.com>',
      to: 'me@example.com',
      cc: log,
      subject: 'Re: Plans for April?',
      date: 'Tue, 3 Mar 2026 09:00:00 +0100',
      messageId: '<b1@y.com>',
      inReplyTo: '<m1@mail.example.com>',
      references: '<m1@mail.example.com>',
      body: 'The second week works for me.',
    }),
  },
  // The user nudges Alice after the window.
  {
    from: 'me@example.com',
    to: [log],
    raw: aRawMessage({
      to: 'Alice <alice@x.com>',
      subject: 'Re: Plans for April?',
      date: 'Fri, 6 Mar 2026 10:00:00 +0100',
      messageId: '<m2@mail.example.com>',
      inReplyTo: '<m1@mail.example.com>',
      references: '<m1@mail.example.com>',
      body: 'Hi Alice, any thoughts on April?',
    }),
  },
  // Alice's out-of-office, forwarded inline by the user.
  {
    from: 'me@example.com',
    to: [log],
    raw: aRawMessage({
      to: log,
      subject: 'Fwd: Automatic reply: Plans for April?',
      date: 'Fri, 6 Mar 2026 16:00:00 +0100',
      messageId: '<f1@mail.example.com>',
      body: [
        '',
        '---------- Forwarded message ---------',
        'From: Alice <alice@x.com>',
        'Date: Fri, Mar 6, 2026 at 10:01 AM',
        'Subject: Automatic reply: Plans for April?',
        'To: <me@example.com>',
        '',
        'I am out of the office until 16 March 2026 and will reply when I am back.',
      ].join('\n'),
    }),
  },
  // Another conversation, with Carol, whose reply the user forwards.
  {
    from: 'me@example.com',
    to: [log],
    raw: aRawMessage({
      to: 'Carol <carol@z.com>',
      subject: 'Intro to Dana?',
      date: 'Mon, 9 Mar 2026 11:00:00 +0100',
      messageId: '<m3@mail.example.com>',
      body: 'Could you introduce me to Dana?',
    }),
  },
  {
    from: 'me@example.com',
    to: [log],
    raw: aRawMessage({
      to: log,
      subject: 'Fwd: Re: Intro to Dana?',
      date: 'Wed, 11 Mar 2026 18:00:00 +0100',
      messageId: '<f2@mail.example.com>',
      body: [
        '',
        '---------- Forwarded message ---------',
        'From: Carol <carol@z.com>',
        'Date: Wed, Mar 11, 2026 at 5:00 PM',
        'Subject: Re: Intro to Dana?',
        'To: <me@example.com>',
        '',
        'Happy to! I will write to both of you tomorrow.',
      ].join('\n'),
    }),
  },
];

describe('the order mail arrives in never matters', () => {
  let table: TestTable;
  let run = 0;

  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => {
    await table?.close();
  });

  /** Ingests the conversation in the given order into a fresh table; returns what a user would see. */
  async function ingestInOrder(order: number[]) {
    const tableName = `order-${run++}`;
    await ensureTable(table.client, tableName);
    const clock = () => receivedAt;
    const store = new DynamoStore({ client: table.client, tableName, clock });
    const rawMail = new MemoryRawMail();
    const ingest = makeIngestEmail({
      store,
      rawMail,
      parseMail,
      mailDomain: domain,
      logger: silentLogger,
    });
    const added = await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    for (const index of order) {
      const message = conversation[index];
      if (!message) continue;
      const envelope: InboundEnvelope = {
        receiptId: `r${run}-${index}`,
        rawKey: `raw/${index}`,
        recipients: message.to,
        mailFrom: message.from,
        receivedAt,
        verdicts: { source: 'relaxed' },
      };
      await rawMail.put(envelope.rawKey, Buffer.from(message.raw));
      await ingest(envelope);
    }
    const user = added.user as User;
    return {
      threads: await makeListThreads({ store, clock })(user, new Date('2026-03-17T09:00:00Z')),
      contacts: (await makeRelationships({ store, clock })(user)).ledger.sort((a, b) =>
        a.address.localeCompare(b.address),
      ),
    };
  }

  it('gives the expected threads when mail arrives in the order it was sent', async () => {
    const { threads, contacts } = await ingestInOrder(conversation.map((_, i) => i));

    expect(
      threads.map((t) => [
        t.subject,
        t.messages,
        t.contacts.map((c) => [c.address, c.state, c.nudges, c.dueOn]),
      ]),
    ).toEqual([
      ['Intro to Dana?', 2, [['carol@z.com', 'replied', 0, '2026-03-12']]],
      [
        'Plans for April?',
        4,
        [
          ['alice@x.com', 'due', 1, '2026-03-17'],
          ['bob@y.com', 'replied', 0, '2026-03-05'],
        ],
      ],
    ]);
    expect(contacts.map((c) => [c.address, c.touchesOut, c.touchesIn])).toEqual([
      ['alice@x.com', 2, 0],
      ['bob@y.com', 1, 1],
      ['carol@z.com', 1, 1],
    ]);
  });

  it('gives the same threads and ledger for any arrival order (property, through ingest and the store)', async () => {
    const expected = await ingestInOrder(conversation.map((_, i) => i));
    const indices = conversation.map((_, i) => i);

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
        async (order) => {
          expect(await ingestInOrder(order)).toEqual(expected);
        },
      ),
      {
        numRuns: 15,
        // Bob's reply before the question it answers; everything backwards.
        examples: [[[1, 0, 2, 3, 4, 5]], [[5, 4, 3, 2, 1, 0]]],
      },
    );
  });
});
