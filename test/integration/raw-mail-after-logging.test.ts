/**
 * Raw mail is kept for what may still read it: a logged message's is deleted once its receipt has
 * its outcome; rejected, failed and parked mail keeps its own for redrive, and for the message a
 * parked reply waits for. Against dynalite and the local raw-mail folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { silentLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { FsRawMailStore } from '#adapters/raw-mail/fs-raw-mail-store.ts';
import { RawMailGoneError } from '#domain/errors.ts';
import type { InboundEnvelope } from '#domain/model.ts';
import type { RawMailStore } from '#domain/ports.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';
import { aLunchQuestionAndReply, aRawMessage } from '../builders/raw-mail.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const domain = 'in.givefirst.test';
const log = `log@${domain}`;

const { question, ccdReply } = aLunchQuestionAndReply(log);
const fromStranger = aRawMessage({
  from: 'Stranger <stranger@z.com>',
  to: 'Me <me@example.com>',
  subject: 'Hello',
  date: 'Mon, 2 Mar 2026 11:00:00 +0100',
});

describe('raw mail after its receipt has an outcome', () => {
  let table: TestTable;
  let folder: string;
  let tables = 0;
  let store: DynamoStore;
  let rawMail: FsRawMailStore;
  let receipts = 0;
  const clock = () => new Date('2026-03-04T12:00:00Z');
  const ingestWith = (raw: RawMailStore) =>
    makeIngestEmail({ store, rawMail: raw, parseMail, mailDomain: domain, logger: silentLogger });
  const envelopeOf = (receiptId: string): InboundEnvelope => ({
    receiptId,
    rawKey: `inbound/2026-03-04/${receiptId}.eml`,
    recipients: [log],
    mailFrom: 'someone@example.com',
    receivedAt: clock(),
    verdicts: { source: 'relaxed' },
  });
  /** Stores the raw mail as a new receipt; the envelope to ingest it with. */
  const arrive = async (raw: string) => {
    const envelope = envelopeOf(`receipt-${receipts++}`);
    await rawMail.put(envelope.rawKey, Buffer.from(raw));
    return envelope;
  };
  const receive = async (raw: string) => {
    const envelope = await arrive(raw);
    return { envelope, outcome: await ingestWith(rawMail)(envelope) };
  };
  const stored = (envelope: InboundEnvelope) =>
    rawMail.open(envelope.rawKey).then(
      (stream) => {
        stream.destroy();
        return true;
      },
      (error: unknown) => {
        if (error instanceof RawMailGoneError) return false;
        throw error;
      },
    );

  beforeAll(async () => {
    table = await startTestTable();
    folder = await mkdtemp(path.join(os.tmpdir(), 'givefirst-raw-mail-'));
  });
  afterAll(async () => {
    await table?.close();
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    const tableName = `raw-mail-${tables++}`;
    await ensureTable(table.client, tableName);
    store = new DynamoStore({ client: table.client, tableName, clock });
    rawMail = new FsRawMailStore(path.join(folder, tableName));
    const added = await makeRegisterUser({ users: store, clock })({ email: 'me@example.com' });
    if (!added.ok) throw new Error(added.problems.join('; '));
  });

  it('deletes the raw mail of a logged message, and keeps that of rejected mail', async () => {
    const logged = await receive(question);
    const refused = await receive(fromStranger);

    expect(logged.outcome.status).toBe('logged');
    expect(await stored(logged.envelope)).toBe(false);
    expect(refused.outcome).toMatchObject({ status: 'rejected', reason: 'unknown-sender' });
    expect(await stored(refused.envelope)).toBe(true);
  });

  it('deletes the raw mail of a copy already logged', async () => {
    await receive(question);
    const copy = await receive(question);

    expect(copy.outcome.status).toBe('duplicate');
    expect(await stored(copy.envelope)).toBe(false);
  });

  it('answers the same delivery again, and its redrive, with the outcome its raw mail was deleted after', async () => {
    const first = await receive(question);

    const again = await ingestWith(rawMail)(first.envelope);

    expect(again).toEqual(first.outcome);
  });

  it('keeps the raw mail of a reply parked before its question, when it is logged and after', async () => {
    const reply = await receive(ccdReply);
    expect(reply.outcome).toMatchObject({ status: 'rejected', reason: 'unknown-sender' });

    const logged = await receive(question);

    expect(logged.outcome.status).toBe('logged');
    expect((await store.getReceipt(reply.envelope.receiptId))?.outcome?.status).toBe('logged');
    expect(await stored(logged.envelope)).toBe(false);
    expect(await stored(reply.envelope)).toBe(true);
  });

  it('answers a run of the same delivery that read after another run logged it and deleted its raw mail', async () => {
    const envelope = await arrive(question);
    let letRead: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      letRead = resolve;
    });
    const waiting: RawMailStore = {
      put: (key, raw) => rawMail.put(key, raw),
      open: async (key) => {
        await gate;
        return rawMail.open(key);
      },
      remove: (key) => rawMail.remove(key),
    };
    const late = ingestWith(waiting)(envelope);
    while (!(await store.getReceipt(envelope.receiptId)))
      await new Promise((r) => setTimeout(r, 5));

    const first = await ingestWith(rawMail)(envelope);
    letRead();

    expect(first.status).toBe('logged');
    expect(await late).toEqual(first);
  });

  it('fails a receipt whose raw mail is no longer stored, saying so, for redrive', async () => {
    const envelope = envelopeOf('receipt-never-stored');

    await expect(ingestWith(rawMail)(envelope)).rejects.toThrow(/no longer stored/);
    expect(await store.getReceipt(envelope.receiptId)).toMatchObject({
      outcome: null,
      failure: `raw mail ${envelope.rawKey} is no longer stored`,
    });
  });
});
