// `npx givefirst …`: the operator's command line, against the local stack.
import '#local/quiet-sdk-warning.ts';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderDigest } from '#adapters/email/render-digest.ts';
import { silentLogger } from '#adapters/logger.ts';
import { makeMailauthVerdicts } from '#adapters/mail/mailauth-verdicts.ts';
import { composeDigest } from '#domain/digest.ts';
import { ConfigError } from '#domain/errors.ts';
import { base32 } from '#domain/ids.ts';
import type { Outcome } from '#domain/model.ts';
import { makeLocalDigestSender } from '#local/digest-sender.ts';
import { DataFolderBusyError } from '#local/dynalite-server.ts';
import { readLocalConfig } from '#local/local-config.ts';
import { makeLocalReplyHandler } from '#local/reply-handler.ts';
import type { IngestEmail } from '#use-cases/ingest-email.ts';
import { type Connection, connect } from './connect.ts';

const usage = `usage: givefirst <command> [options]

  user add EMAIL [--alias EMAIL]… [--tz ZONE] [--at HH:MM]   register a user
  user list                                               users and their settings
  contacts EMAIL [--as-of ISO-TIME]                       a user's contacts and their ledger
  digest EMAIL --dry-run [--as-of ISO-TIME]               print the digest it would send
  digest EMAIL --now                                      send it now (at most one a day), through npm start
  threads EMAIL [--as-of ISO-TIME]                        a user's tracked threads and who is awaited
  rejections [--days N]                                   recent inbound mail that was not logged
  ingest FILE.eml… [--to ADDRESS] [--trust-sender]        feed raw messages through the ingest path
  redrive                                                 reprocess stored raw mail whose ingest failed

  --json   print one JSON document on stdout and nothing else
Data: GIVEFIRST_DATA_DIR (default ./.givefirst). Talks to \`npm start\` when it is running.`;

class UsageError extends Error {}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    alias: { type: 'string', multiple: true },
    tz: { type: 'string' },
    at: { type: 'string' },
    to: { type: 'string' },
    'trust-sender': { type: 'boolean', default: false },
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    now: { type: 'boolean', default: false },
    days: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

/** Where links in digests point (the local stack's web listener is still to come). */
/** Where links in digests point: the running stack's web listener, or GIVEFIRST_PUBLIC_URL. */
const publicUrl = (conn: Connection) => conn.publicUrl ?? 'http://127.0.0.1:2580';

/** --as-of, or the clock: the moment a listing is judged at. */
function asOfOr(conn: Connection): Date {
  if (!values['as-of']) return conn.clock();
  const asOf = new Date(values['as-of']);
  if (Number.isNaN(asOf.getTime()))
    throw new UsageError(`--as-of ${values['as-of']} is not an ISO time`);
  return asOf;
}

function print(json: unknown, human: () => string): void {
  process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human()}\n`);
}

async function userOf(conn: Connection, email: string | undefined) {
  if (!email) throw new UsageError('which user? give their email address');
  const user = await conn.services.store.findUserByAddress(email);
  if (!user) throw new UsageError(`${email} is not a registered user (see: givefirst user list)`);
  return user;
}

const outcomeLine = (file: string, o: Outcome) =>
  o.status === 'rejected'
    ? `${file}: rejected (${o.reason}): ${o.detail}`
    : `${file}: ${o.status}${o.status === 'logged' ? ` (${o.contacts} contacts, ${o.awaited} awaited)` : ''}`;

/**
 * The ingest path with reply commands and unknown-tag notes when a running stack's SES emulator can
 * carry the answers; without one, replies are refused as not available.
 */
async function withAnswers<T>(
  conn: Connection,
  use: (ingest: IngestEmail) => Promise<T>,
): Promise<T> {
  if (!conn.sesEndpoint) return use(conn.services.ingest);
  const replies = await makeLocalReplyHandler(conn.services, {
    dataDir: conn.dataDir,
    mailDomain: conn.mailDomain,
    sesEndpoint: conn.sesEndpoint,
    clock: conn.clock,
    logger: silentLogger,
  });
  try {
    return await use(conn.services.makeIngest(replies.answers));
  } finally {
    replies.close();
  }
}

const commands: Record<string, (conn: Connection, args: string[]) => Promise<number>> = {
  async 'user add'(conn, [email]) {
    if (!email) throw new UsageError('user add needs an email address');
    const result = await conn.services.registerUser({
      email,
      ...(values.alias ? { aliases: values.alias } : {}),
      ...(values.tz ? { timeZone: values.tz } : {}),
      ...(values.at ? { digestAt: values.at } : {}),
    });
    if (!result.ok) {
      print({ ok: false, problems: result.problems }, () =>
        result.problems.map((p) => `not added: ${p}`).join('\n'),
      );
      return 1;
    }
    const u = result.user;
    print(
      { ok: true, user: u },
      () =>
        `added ${u.email}${u.aliases.length ? ` (also ${u.aliases.join(', ')})` : ''}, ${u.timeZone}, digest at ${u.digestAt}\nBCC log@${conn.mailDomain} on the mail you send.`,
    );
    return 0;
  },
  async 'user list'(conn) {
    const users = await conn.services.store.listUsers();
    print({ users }, () =>
      users.length
        ? users
            .map(
              (u) =>
                `${u.email}\t${u.timeZone}\t${u.digestAt}${u.aliases.length ? `\t${u.aliases.join(',')}` : ''}`,
            )
            .join('\n')
        : 'no users yet',
    );
    return 0;
  },
  async contacts(conn, [email]) {
    const user = await userOf(conn, email);
    const { ledger } = await conn.services.relationships(user, asOfOr(conn));
    const contacts = ledger.sort((a, b) => (a.address < b.address ? -1 : 1));
    const line = (c: (typeof contacts)[number]) =>
      [
        c.name ? `${c.name} <${c.address}>` : c.address,
        `out ${c.touchesOut}`,
        `in ${c.touchesIn}`,
        `last out ${c.lastOutAt?.slice(0, 10) ?? '-'}`,
        `last in ${c.lastInAt?.slice(0, 10) ?? '-'}`,
        c.openPromises.length ? `promised ${c.openPromises.length}` : '',
        c.owed ? 'owed a favour' : '',
        c.openAsks.length ? `asked ${c.openAsks.length}` : '',
        c.goingQuiet ? `going quiet (every ${c.cadenceDays} days)` : '',
      ]
        .filter(Boolean)
        .join('\t');
    print({ user: user.email, contacts }, () =>
      contacts.length ? contacts.map(line).join('\n') : 'no contacts yet',
    );
    return 0;
  },
  async digest(conn, [email]) {
    const user = await userOf(conn, email);
    if (values.now) {
      if (values['as-of'])
        throw new UsageError('--now sends as of the clock; --as-of goes with --dry-run');
      if (!conn.sesEndpoint) {
        throw new UsageError(
          'sending needs the running stack (npm start): its SES emulator shows what was sent',
        );
      }
      const sender = await makeLocalDigestSender(conn.services, {
        dataDir: conn.dataDir,
        mailDomain: conn.mailDomain,
        sesEndpoint: conn.sesEndpoint,
        publicUrl: publicUrl(conn),
        clock: conn.clock,
        logger: silentLogger,
      });
      try {
        const outcome = await sender.sendDigest(user);
        print(outcome, () => `${outcome.status} (${outcome.localDate})`);
        return outcome.status === 'failed' ? 1 : 0;
      } finally {
        sender.close();
      }
    }
    if (!values['dry-run'])
      throw new UsageError('digest takes --dry-run (print it) or --now (send it)');
    const now = asOfOr(conn);
    const digest = composeDigest({
      user,
      relationships: await conn.services.relationships(user, now),
      now,
    });
    print({ user: user.email, digest }, () => {
      if (!digest) return 'nothing to show: no digest would be sent';
      const rendered = renderDigest(digest, {
        replyAddress: `reply+TOKEN@${conn.mailDomain}`,
        unsubscribeUrl: `${publicUrl(conn)}/unsubscribe?t=TOKEN`,
        logAddress: `log@${conn.mailDomain}`,
      });
      return `Subject: ${rendered.subject}\n\n${rendered.text}`;
    });
    return 0;
  },
  async threads(conn, [email]) {
    const user = await userOf(conn, email);
    const asOf = asOfOr(conn);
    const threads = await conn.services.listThreads(user, asOf);
    const line = (c: (typeof threads)[number]['contacts'][number]) =>
      `  ${c.name ? `${c.name} <${c.address}>` : c.address}: ${c.state}${c.nudges ? `, nudged ${c.nudges}×` : ''}${c.dueOn && (c.state === 'waiting' || c.state === 'due') ? `, due ${c.dueOn}` : ''}${c.reason ? ` — ${c.reason}` : ''}`;
    print({ user: user.email, timeZone: user.timeZone, asOf: asOf.toISOString(), threads }, () =>
      threads.length
        ? threads
            .map(
              (t) =>
                `${t.subject || '(no subject)'}  (${t.messages} message${t.messages === 1 ? '' : 's'}, last ${t.lastAt})\n${t.contacts.map(line).join('\n') || '  no reply awaited'}`,
            )
            .join('\n')
        : 'no threads yet',
    );
    return 0;
  },
  async rejections(conn) {
    const days = values.days ? Number(values.days) : 7;
    if (!Number.isInteger(days) || days < 1)
      throw new UsageError('--days takes a whole number of days');
    const rejections = await conn.services.store.listRejections({ days, limit: 200 });
    print({ rejections }, () =>
      rejections.length
        ? rejections
            .map(
              (r) =>
                `${r.receivedAt}  ${r.from ?? '(no from)'} → ${r.recipients.join(', ')}\n  ${r.reason}: ${r.detail}`,
            )
            .join('\n')
        : `no rejections in the last ${days} days`,
    );
    return 0;
  },
  async ingest(conn, files) {
    if (files.length === 0) throw new UsageError('ingest needs at least one .eml file');
    const to = values.to ?? `log@${conn.mailDomain}`;
    // Without --trust-sender the usual checks apply: DKIM and DMARC from DNS (no SMTP client, so no SPF).
    const authenticate = makeMailauthVerdicts({ mta: conn.mailDomain });
    const results: { file: string; outcome: Outcome }[] = [];
    await withAnswers(conn, async (ingest) => {
      for (const file of files) {
        const receivedAt = conn.clock();
        const receiptId = base32(randomBytes(10));
        const rawKey = `cli/${receivedAt.toISOString().slice(0, 10)}/${receiptId}.eml`;
        await conn.services.rawMail.put(rawKey, createReadStream(file));
        const outcome = await ingest({
          receiptId,
          rawKey,
          recipients: [to],
          mailFrom: '',
          receivedAt,
          verdicts: values['trust-sender']
            ? { source: 'operator' }
            : await authenticate(await conn.services.rawMail.open(rawKey), {}),
        });
        results.push({ file, outcome });
      }
    });
    print({ results }, () => results.map((r) => outcomeLine(r.file, r.outcome)).join('\n'));
    return results.some((r) => r.outcome.status === 'rejected') ? 1 : 0;
  },
  async redrive(conn) {
    const failed = await conn.services.store.listFailedReceipts(500);
    const results: { receiptId: string; outcome?: Outcome; error?: string }[] = [];
    await withAnswers(conn, async (ingest) => {
      for (const receipt of failed) {
        try {
          results.push({
            receiptId: receipt.envelope.receiptId,
            outcome: await ingest(receipt.envelope),
          });
        } catch (error) {
          results.push({
            receiptId: receipt.envelope.receiptId,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    });
    print({ results }, () =>
      results.length
        ? results
            .map((r) =>
              r.outcome
                ? outcomeLine(r.receiptId, r.outcome)
                : `${r.receiptId}: failed again: ${r.error}`,
            )
            .join('\n')
        : 'nothing to redrive',
    );
    return results.some((r) => r.error) ? 1 : 0;
  },
};

async function main(): Promise<number> {
  const [first, second, ...rest] = positionals;
  if (values.help || !first) {
    console.log(usage);
    return first ? 0 : 2;
  }
  const name = first === 'user' ? `user ${second ?? ''}` : first;
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const args =
    first === 'user' ? rest : [second, ...rest].filter((a): a is string => a !== undefined);
  const conn = await connect(readLocalConfig(process.env));
  try {
    return await command(conn, args);
  } finally {
    await conn.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DataFolderBusyError) {
      console.error(
        'givefirst: the data folder is open in another process that is not a running stack. Try again when it is done.',
      );
      process.exit(1);
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`givefirst: ${error.message}`);
      if (error instanceof UsageError) console.error(`\n${usage}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
