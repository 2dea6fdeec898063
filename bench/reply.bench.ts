// A typical command reply handled end to end (parse, authenticate, apply, answer into the local SES
// emulator) against the ingest of a plain logged message of the same size, through the same door.

import { randomBytes } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { InboundEnvelope, User } from '#domain/model.ts';
import type { Mailer, OutgoingMail } from '#domain/ports.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { startDynalite } from '#local/dynalite-server.ts';
import { localRegion } from '#local/local-config.ts';
import { startSesEmulator } from '#local/ses-emulator.ts';
import { makeHandleReply } from '#use-cases/handle-reply.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { makeSendDigest } from '#use-cases/send-digest.ts';
import { compare, report } from './measure.ts';
import { aTypicalMessage, benchClients, MemoryRawMail } from './support.ts';

const domain = 'in.givefirst.test';

/** A Gmail reply: two commands on top, the digest quoted below, padded with quoted text to `bytes`. */
function aCommandReply(i: number, replyTo: string, digestText: string, bytes: number): string {
  const body = [
    'snooze 2 3d',
    'done 1',
    '',
    `On Mon, Mar 2, 2026 at 8:00 AM givefirst <digest@${domain}> wrote:`,
    ...digestText.split('\n').map((l) => `> ${l}`),
  ];
  const head = [
    'From: Me <me@example.com>',
    `To: ${replyTo}`,
    'Subject: Re: 3 waiting on replies',
    'Date: Mon, 2 Mar 2026 09:10:00 +0100',
    `Message-ID: <reply-${i}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
  ].join('\r\n');
  while (head.length + body.join('\r\n').length < bytes - 80) {
    body.push('> The quoted digest goes on a little further down the page, as replies do.');
  }
  return `${head}\r\n${body.join('\r\n')}\r\n`;
}

export async function run(): Promise<void> {
  const dynamo = await startDynalite();
  const ses = await startSesEmulator(0);
  const { client, destroy } = benchClients(dynamo.endpoint);
  const sesClient = new SESv2Client({
    region: localRegion,
    endpoint: ses.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTable(client, 'bench');
    // Each round is an hour later: the hourly allowance of answers belongs to each round.
    let now = new Date('2026-03-02T07:00:00Z');
    const clock = () => now;
    const store = new DynamoStore({ client, tableName: 'bench', clock });
    const steering = new DynamoSteeringStore({ client, tableName: 'bench', clock });
    const added = await makeRegisterUser({ users: store, clock })({
      email: 'me@example.com',
      timeZone: 'Europe/Berlin',
    });
    if (!added.ok) throw new Error(added.problems.join('; '));
    const user: User = added.user;
    const rawMail = new MemoryRawMail();
    const tokens = makeTokens({ keys: [{ id: 1, secret: randomBytes(32) }], signWith: 1 });
    const ses_ = makeSesMailer({ ses: sesClient });
    const relationships = makeRelationships({ store, steering, clock });
    const ingest = makeIngestEmail({
      store,
      rawMail,
      parseMail,
      mailDomain: domain,
      logger: silentLogger,
      handleReply: makeHandleReply({
        users: store,
        digests: store,
        steering,
        relationships,
        tokens,
        mailer: ses_,
        clock,
        logger: silentLogger,
        mailDomain: domain,
      }),
    });
    let seq = 0;
    const envelopeFor = async (raw: string, to: string): Promise<InboundEnvelope> => {
      const receiptId = `bench${seq++}`;
      await rawMail.put(receiptId, Buffer.from(raw));
      return {
        receiptId,
        rawKey: receiptId,
        recipients: [to],
        mailFrom: 'me@example.com',
        receivedAt: clock(),
        verdicts: { source: 'operator' },
      };
    };

    // A user with a few weeks of mail: 30 questions to 10 people in February, 3 of them due.
    now = new Date('2026-02-02T09:00:00Z');
    for (let i = 0; i < 30; i++) {
      const to = [`Person ${i % 10} <p${i % 10}@x.example>`];
      const raw = aTypicalMessage(i, to).replace(
        /^Date: .*$/m,
        `Date: ${new Date(Date.UTC(2026, 1, 2 + (i % 24), 9)).toUTCString()}`,
      );
      await ingest(await envelopeFor(raw, `log@${domain}`));
    }
    now = new Date('2026-03-02T07:00:00Z');
    let digest: OutgoingMail | undefined;
    const capture: Mailer = {
      async send(mail) {
        digest = mail;
        return ses_.send(mail);
      },
    };
    const sent = await makeSendDigest({
      store,
      relationships,
      mailer: capture,
      issueToken: (claims) => tokens.issue(claims),
      clock,
      logger: silentLogger,
      mailDomain: domain,
      unsubscribeUrl: (token) => `http://127.0.0.1/unsubscribe?t=${token}`,
    })(user);
    if (sent.status !== 'sent' || !digest) throw new Error(`no digest: ${sent.status}`);
    const replyTo = digest.replyTo ?? '';

    const rounds = 120;
    const warmup = 30;
    const replies = Array.from({ length: rounds + warmup }, (_, i) =>
      aCommandReply(i, replyTo, digest?.text ?? '', 8 * 1024),
    );
    const bytes = Buffer.byteLength(replies[0] ?? '');
    const logged = Array.from({ length: rounds + warmup }, (_, i) =>
      aTypicalMessage(50_000 + i, [`Person ${i % 10} <p${i % 10}@x.example>`], bytes),
    );
    const outcomes = new Map<string, number>();
    const result = await compare(
      rounds,
      warmup,
      async (i) => {
        now = new Date(Date.parse('2026-03-02T07:00:00Z') + i * 3_600_000);
        const outcome = await ingest(await envelopeFor(replies[i] as string, replyTo));
        const key = outcome.status === 'steered' && outcome.confirmed ? 'answered' : outcome.status;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      },
      async (i) => {
        await ingest(await envelopeFor(logged[i] as string, `log@${domain}`));
      },
    );
    if (outcomes.get('answered') !== rounds + warmup) {
      throw new Error(`not every reply was applied and answered: ${JSON.stringify([...outcomes])}`);
    }
    report(
      `command reply (${(bytes / 1024).toFixed(1)} KB) vs logging a message that size`,
      { reply_ms: result.subject, log_ms: result.baseline, ratio: result.ratio },
      '<= 1.5x',
    );
  } finally {
    sesClient.destroy();
    destroy();
    await ses.close();
    await dynamo.close();
  }
}
