import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { IngestFailedError, SenderCheckUnavailableError } from '#domain/errors.ts';
import { base32 } from '#domain/ids.ts';
import { domainOf } from '#domain/inbound-address.ts';
import type { Verdicts } from '#domain/model.ts';
import type { Clock, Logger, RawMailStore } from '#domain/ports.ts';
import type { IngestEmail } from '#use-cases/ingest-email.ts';

/** What one sender may take of the front door. Each bound is a reply, never a crash. */
export interface SmtpLimits {
  /** A message over this is cut off while streaming (552) and nothing of it is kept. */
  maxMessageBytes: number;
  /** The whole DATA phase, however slowly the bytes come: then 421 and the connection closes. */
  maxDataSeconds: number;
  /** Open connections at once; one more is answered 421. */
  maxConnections: number;
  /** Envelope recipients per message; each one more is answered 452 (RFC 5321 4.5.3.1.10). */
  maxRecipients: number;
  /** A connection that says nothing for this long is closed (421). */
  idleSeconds: number;
}

export const defaultSmtpLimits: SmtpLimits = {
  // Large enough for real mail with attachments.
  maxMessageBytes: 50 * 1024 * 1024,
  // 50 MB at a slow 100 KB/s takes about 9 minutes.
  maxDataSeconds: 10 * 60,
  maxConnections: 100,
  // Mail for the inbound domain goes to log@, log+tags@ or reply+…@: a handful, never hundreds.
  maxRecipients: 20,
  idleSeconds: 60,
};

export interface SmtpFrontDoorOptions {
  host: string;
  port: number;
  mailDomain: string;
  limits: SmtpLimits;
  rawMail: RawMailStore;
  ingest: IngestEmail;
  clock: Clock;
  logger: Logger;
  /** The sender-authentication verdicts for a session and its stored message. */
  verdictsFor(session: SMTPServerSession, rawKey: string): Promise<Verdicts>;
}

export interface RunningSmtp {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** A message went over the size limit while it was streaming in. */
export class MessageTooLargeError extends Error {
  readonly responseCode = 552;
  constructor(maxBytes: number) {
    super(`message exceeds the size limit of ${maxBytes} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** The DATA phase went on longer than the limit. */
export class DataTooSlowError extends Error {
  readonly responseCode = 421;
  constructor(maxSeconds: number) {
    super(`message not received in full within ${maxSeconds} s, closing connection`);
    this.name = 'DataTooSlowError';
  }
}

/** The client went away before the end of the message. */
export class MessageCutOffError extends Error {
  readonly responseCode = 451;
  constructor(options?: { cause?: unknown }) {
    super('connection closed before the message was received in full', options);
    this.name = 'MessageCutOffError';
  }
}

/**
 * The message as it streams in, after `first` (the line it is stored under), passed on only while
 * it stays within the limits (`first` does not count toward them). Past a limit the
 * copy fails at once (so the raw-mail store drops what it wrote) and the rest of the message is
 * read and thrown away, so the session can still answer.
 */
function bounded(data: Readable, limits: SmtpLimits, clock: Clock, first: Buffer): Readable {
  const deadline = clock().getTime() + limits.maxDataSeconds * 1000;
  const copy = new PassThrough();
  copy.write(first);
  // The store reads this copy a moment later; its failure reaches the store then, not as an
  // unhandled 'error' event now.
  copy.on('error', () => undefined);
  let bytes = 0;
  let failed = false;
  const fail = (error: Error) => {
    failed = true;
    copy.destroy(error);
    data.resume();
  };
  data.on('data', (chunk: Buffer) => {
    if (failed) return;
    bytes += chunk.length;
    if (bytes > limits.maxMessageBytes) {
      fail(new MessageTooLargeError(limits.maxMessageBytes));
    } else if (clock().getTime() > deadline) {
      fail(new DataTooSlowError(limits.maxDataSeconds));
    } else if (!copy.write(chunk)) {
      data.pause();
      copy.once('drain', () => data.resume());
    }
  });
  data.once('end', () => {
    if (!failed) copy.end();
  });
  // smtp-server destroys the stream when the client goes away mid-message.
  data.once('error', (error) => failed || fail(new MessageCutOffError({ cause: error })));
  data.once('close', () => failed || data.readableEnded || fail(new MessageCutOffError()));
  return copy;
}

/**
 * The line the message is stored under, the envelope sender as `Return-Path`, as SES stores it: a
 * null sender (`MAIL FROM:<>`, what auto-replies and bounces use) then reads as automated on both
 * runtimes.
 */
const returnPath = (mailFrom: string) =>
  Buffer.from(`Return-Path: <${mailFrom.replace(/[\r\n<>]/g, '')}>\r\n`);

/**
 * The local front door: SMTP for the inbound domain only. Each message is stored whole first,
 * then handed to the same ingest code the Lambda runs, with the same kind of envelope.
 * A message is acknowledged once it is stored; an ingest failure keeps it for redrive.
 * Every session is bounded (`SmtpLimits`), and nothing a client does ends the process.
 */
export async function startSmtpFrontDoor(options: SmtpFrontDoorOptions): Promise<RunningSmtp> {
  const { mailDomain, rawMail, ingest, clock, logger, limits } = options;
  const server: SMTPServer = new SMTPServer({
    name: mailDomain,
    banner: 'givefirst',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: limits.maxMessageBytes,
    maxClients: limits.maxConnections,
    maxRecipients: limits.maxRecipients,
    socketTimeout: limits.idleSeconds * 1000,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (domainOf(address.address) !== mailDomain) {
        callback(
          Object.assign(new Error(`relay not permitted: only ${mailDomain} is served here`), {
            responseCode: 550,
          }),
        );
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const receivedAt = clock();
      const receiptId = base32(randomBytes(10));
      const rawKey = `inbound/${receivedAt.toISOString().slice(0, 10)}/${receiptId}.eml`;
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const message = bounded(stream, limits, clock, returnPath(mailFrom));
      (async () => {
        await rawMail.put(rawKey, message);
        const envelope = {
          receiptId,
          rawKey,
          recipients: session.envelope.rcptTo.map((r) => r.address),
          mailFrom,
          receivedAt,
          verdicts: await options.verdictsFor(session, rawKey),
        };
        try {
          const outcome = await ingest(envelope);
          return `queued as ${receiptId} (${outcome.status})`;
        } catch (error) {
          // A sender that could not be judged (DNS timeout, SERVFAIL) is the client's to retry.
          if (
            error instanceof IngestFailedError &&
            error.cause instanceof SenderCheckUnavailableError
          )
            throw Object.assign(new Error(`try again later: ${error.cause.message}`), {
              responseCode: 451,
            });
          if (error instanceof IngestFailedError)
            return `queued as ${receiptId} (kept for redrive)`;
          throw error;
        }
      })().then(
        (reply) => callback(null, reply),
        (error: Error & { responseCode?: number }) => {
          logger.warn('smtp message not accepted', {
            receiptId,
            error: error.name,
            detail: error.message,
          });
          if (error instanceof DataTooSlowError) {
            // The client is still sending: say why and hang up rather than read on. Only now,
            // once the store has removed what it wrote.
            for (const connection of server.connections) {
              if (connection.session !== session) continue;
              connection.send(error.responseCode, error.message);
              connection.close();
            }
          }
          // An error that names its reply (ours: too large, too slow, cut off) says it; anything
          // else is a plain "try again", never an internal error text.
          const known = typeof error.responseCode === 'number';
          callback(
            Object.assign(new Error(known ? error.message : 'temporary failure, try again later'), {
              responseCode: error.responseCode ?? 451,
            }),
          );
        },
      );
    },
  });
  // A client that resets mid-message surfaces here; one bad connection costs that connection only.
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.warn('smtp connection error', { code: error.code ?? 'unknown', error: error.message });
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    address: `${options.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
