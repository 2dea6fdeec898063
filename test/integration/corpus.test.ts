import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/table-design.ts';
import { silentLogger } from '#adapters/logger.ts';
import { normaliseMessageId, shortKey } from '#domain/ids.ts';
import type { Outcome, RejectionReason, User, Verdicts } from '#domain/model.ts';
import { ownText, snippetOf } from '#domain/own-text.ts';
import { type LocalServices, makeLocalServices } from '#local/services.ts';
import { aRawMessage } from '../builders/raw-mail.ts';
import {
  type CorpusFamily,
  corpusFiles,
  corpusPath,
  corpusRuns,
  topContentType,
} from '../support/corpus-files.ts';
import { containsFragment, quotedFragments } from '../support/corpus-reply-quoting.ts';
import { startTestTable, type TestTable } from '../support/test-table.ts';

const mailDomain = 'in.givefirst.test';
const now = new Date('2026-03-02T12:00:00Z');

/** What a mailparser fixture is, and so how it must end (none is from a registered user). */
const mailparserExpected: Record<string, RejectionReason> = {
  'base64encodedroot.eml': 'unknown-sender', // an image/png root part
  'decoderended.eml': 'unknown-sender',
  'delivery-status.eml': 'bounce', // an Amazon SES multipart/report DSN
  'htmllargecallstack.eml': 'unknown-sender', // deeply nested HTML
  'large_text.eml': 'mailing-list', // Launchpad via lists.ubuntu.com: List-Id and Precedence: bulk
  'mixed.eml': 'no-from-address', // no From header at all
  'nested.eml': 'unknown-sender',
  'nodemailer.eml': 'unknown-sender',
  'outofmemory.eml': 'unknown-sender', // 1 MB of HTML
  'spam.eml': 'unknown-sender',
};

/**
 * Files of the bounces folder that do not end as `bounce`, and why. Every other file there is a
 * delivery report and must be classified `bounce`: by its multipart/report, X-Failed-Recipients, a
 * mailer-daemon/postmaster sender, or a delivery-failure subject on mail from a robot.
 */
const bouncesThatAreNot: Record<string, { reason: RejectionReason; why: string }> = {
  'arf-22.eml': {
    reason: 'unknown-sender',
    why: "Hotmail's old complaint format: multipart/mixed",
  },
  'arf-23.eml': {
    reason: 'unknown-sender',
    why: "Hotmail's old complaint format: multipart/mixed",
  },
  'arf-24.eml': {
    reason: 'unknown-sender',
    why: "Hotmail's old complaint format: multipart/mixed",
  },
  'arf-26.eml': { reason: 'auto-reply', why: 'an iCloud unsubscribe reply, Auto-Submitted' },
  'lhost-amazonses-09.eml': { reason: 'unknown-sender', why: 'an SNS notification (JSON)' },
  'lhost-amazonses-10.eml': { reason: 'unknown-sender', why: 'an SNS notification (JSON)' },
  'lhost-amazonses-11.eml': { reason: 'unknown-sender', why: 'an SNS notification (JSON)' },
  'lhost-amazonses-12.eml': { reason: 'unknown-sender', why: 'an SNS notification (JSON)' },
  'lhost-amazonses-13.eml': { reason: 'unknown-sender', why: 'an SNS notification (JSON)' },
  'lhost-fml-02.eml': {
    reason: 'sender-not-authenticated',
    why: 'an fml list-manager notice, no List-Id, answering a Message-ID: unauthenticated, it parks nothing',
  },
  'lhost-fml-03.eml': {
    reason: 'sender-not-authenticated',
    why: 'an fml list-manager notice, no List-Id, answering a Message-ID: unauthenticated, it parks nothing',
  },
  'lhost-kddi-01.eml': { reason: 'unknown-sender', why: 'no-reply@ sender, Japanese subject' },
  'lhost-kddi-02.eml': { reason: 'auto-reply', why: 'only its empty Return-Path says automated' },
  'rfc3834-01.eml': { reason: 'auto-reply', why: 'an RFC 3834 vacation reply' },
  'rfc3834-02.eml': { reason: 'auto-reply', why: 'an Exchange "Automatic reply"' },
};

/**
 * Replies whose answers are written between the quoted lines: only their `>` lines are quoted, the
 * text below the attribution is the user's own.
 */
const inlineReplies = new Set(['email_2.txt', 'email_tricky_18_inline_reply.txt']);

/**
 * Where email-reply-parser (with own-text.ts's clean-up) keeps quoted text as the user's own, and
 * the quoted fragments it keeps. Each is asserted, so a fixed parser shows up here.
 */
const replyParserLimitations: Record<string, { why: string; leaks: string[] }> = {
  'email_8.txt': {
    why: 'a quoted line wrapped without its ">" marker is read as new text',
    leaks: ['eget accumsan est viverra quis. Pellentesque"'],
  },
};

describe.skipIf(!corpusRuns)(
  'the shared corpora of real mail, through the real ingest path',
  () => {
    let table: TestTable;
    let dataDir: string;
    let services: LocalServices;
    let me: User;

    beforeAll(async () => {
      table = await startTestTable();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-corpus-'));
      services = makeLocalServices({
        client: table.client,
        tableName: table.tableName,
        dataDir,
        mailDomain,
        clock: () => now,
        logger: silentLogger,
      });
      const added = await services.registerUser({
        email: 'me@example.com',
        timeZone: 'Europe/Berlin',
      });
      if (!added.ok) throw new Error(added.problems.join('; '));
      me = added.user;
    });

    afterAll(async () => {
      await table?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    /** Stores a raw message as the front door would, and ingests it as sent to log@. */
    async function ingestRaw(
      family: CorpusFamily,
      file: string,
      raw: Buffer | string,
      verdicts: Verdicts,
    ): Promise<Outcome> {
      const receiptId = `corpus-${family}-${file}`;
      const rawKey = `corpus/${family}/${file}`;
      await services.rawMail.put(rawKey, Buffer.from(raw));
      const outcome = await services.ingest({
        receiptId,
        rawKey,
        recipients: [`log@${mailDomain}`],
        mailFrom: '',
        receivedAt: now,
        verdicts,
      });
      const receipt = await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: keys.receipt(receiptId) }),
      );
      expect(receipt.Item?.outcome, 'the receipt records the outcome').toEqual(outcome);
      return outcome;
    }

    const storedMessage = async (messageId: string) => {
      const got = await table.client.send(
        new GetCommand({
          TableName: table.tableName,
          Key: keys.message(me.userId, shortKey(normaliseMessageId(messageId))),
        }),
      );
      return got.Item;
    };

    describe('mailparser fixtures (tricky MIME), as received', () => {
      it.each(corpusFiles('mailparser', '.eml'))('%s ends as its kind says', async (file) => {
        // Prepare
        const raw = await readFile(corpusPath('mailparser', file));

        // Act
        const outcome = await ingestRaw('mailparser', file, raw, { source: 'none' });

        // Assess
        expect(mailparserExpected[file], 'every fixture has an expectation').toBeDefined();
        expect(outcome).toMatchObject({ status: 'rejected', reason: mailparserExpected[file] });
      });
    });

    describe('bounces, complaint reports and auto-replies, as received', () => {
      it('lists only files that exist and are not multipart/report among the non-bounces', async () => {
        const files = corpusFiles('bounces', '.eml');

        for (const file of Object.keys(bouncesThatAreNot)) {
          expect(files).toContain(file);
          expect(topContentType(await readFile(corpusPath('bounces', file)))).not.toBe(
            'multipart/report',
          );
        }
      });

      it.each(corpusFiles('bounces', '.eml'))('%s is classified by what it is', async (file) => {
        // Prepare
        const raw = await readFile(corpusPath('bounces', file));
        const report = topContentType(raw) === 'multipart/report';

        // Act
        const outcome = await ingestRaw('bounces', file, raw, { source: 'none' });

        // Assess: every multipart/report (DSN, ARF, DMARC report) is a bounce, and so is every
        // other delivery report not listed with its reason
        const expected = report ? 'bounce' : (bouncesThatAreNot[file]?.reason ?? 'bounce');
        expect(outcome).toMatchObject({ status: 'rejected', reason: expected });
      });
    });

    describe('reply bodies from many clients, sent by the user', () => {
      it.each(corpusFiles('reply-quoting', '.txt'))(
        '%s is logged with none of its quoted text in the snippet',
        async (file) => {
          // Prepare
          const body = await readFile(corpusPath('reply-quoting', file), 'utf8');
          const messageId = `<${file}@corpus.givefirst.test>`;
          const raw = aRawMessage({
            from: 'Me <me@example.com>',
            to: 'Ann Lee <ann@friends.example>',
            subject: `Re: ${file}`,
            messageId,
            body,
          });

          // Act
          const outcome = await ingestRaw('reply-quoting', file, raw, { source: 'operator' });

          // Assess
          expect(outcome).toMatchObject({ status: 'logged', contacts: 1 });
          const snippet = (await storedMessage(messageId))?.snippet as string;
          expect(snippet, 'the body came through the parser intact').toBe(snippetOf(ownText(body)));
          const quoted = quotedFragments(body, { inline: inlineReplies.has(file) });
          expect(quoted.filter((fragment) => containsFragment(snippet, fragment))).toEqual([]);
          const keptAsOwn = quoted.filter((fragment) => containsFragment(ownText(body), fragment));
          expect(keptAsOwn).toEqual(replyParserLimitations[file]?.leaks ?? []);
        },
      );
    });

    it('leaves no receipt without an outcome, and logs no contact from the as-received files', async () => {
      // Act
      const failed = await services.store.listFailedReceipts(1000);
      const { ledger: contacts } = await services.relationships(me);

      // Assess
      expect(failed).toEqual([]);
      expect(contacts.map((c) => c.address)).toEqual(['ann@friends.example']);
    });
  },
);
