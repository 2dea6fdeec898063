import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { IngestFailedError, SenderCheckUnavailableError } from '#domain/errors.ts';
import { base32 } from '#domain/ids.ts';
import { domainOf } from '#domain/inbound-address.ts';
import type { Verdicts } from '#domain/model.ts';
import type { Clock, Logger, RawMailStore } from '#domain/ports.ts';
import type { IngestEmail } from '#use-cases/ingest-email.ts';

export interface SmtpFrontDoorOptions {
  host: string;
  port: number;
  mailDomain: string;
  maxMessageBytes: number;
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

/**
 * The message as stored, with the envelope sender on top as `Return-Path`, as SES stores it: a null
 * sender (`MAIL FROM:<>`, what auto-replies and bounces use) then reads as automated on both runtimes.
 */
function withReturnPath(message: Readable, mailFrom: string): Readable {
  const returnPath = Buffer.from(`Return-Path: <${mailFrom.replace(/[\r\n<>]/g, '')}>\r\n`);
  return Readable.from(
    (async function* () {
      yield returnPath;
      yield* message;
    })(),
    { objectMode: false },
  );
}

/**
 * The local front door: SMTP for the inbound domain only. Each message is stored whole first,
 * then handed to the same ingest code the Lambda runs, with the same kind of envelope.
 * A message is acknowledged once it is stored; an ingest failure keeps it for redrive.
 */
export async function startSmtpFrontDoor(options: SmtpFrontDoorOptions): Promise<RunningSmtp> {
  const { mailDomain, rawMail, ingest, clock, logger } = options;
  const server = new SMTPServer({
    name: mailDomain,
    banner: 'givefirst',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: options.maxMessageBytes,
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
      (async () => {
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        await rawMail.put(rawKey, withReturnPath(stream, mailFrom));
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          throw Object.assign(new Error('message exceeds the size limit'), { responseCode: 552 });
        }
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
        (message) => callback(null, message),
        (error: Error & { responseCode?: number }) => {
          logger.warn('smtp message not accepted', { receiptId, error: error.message });
          callback(Object.assign(error, { responseCode: error.responseCode ?? 451 }));
        },
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    address: `${options.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
