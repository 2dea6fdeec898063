import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DNSResolver } from 'mailauth';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { makeDocumentClient } from '#adapters/dynamodb/client.ts';
import { keys } from '#adapters/dynamodb/table-design.ts';
import { silentLogger } from '#adapters/logger.ts';
import type { SmtpLimits } from '#adapters/smtp/smtp-front-door.ts';
import { normaliseMessageId, shortKey } from '#domain/ids.ts';
import type { Clock } from '#domain/ports.ts';
import { readLocalConfig } from '#local/local-config.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';

export interface TestStack extends LocalStack {
  /** Sends a raw message over SMTP with the given envelope; resolves with the server's reply. */
  sendRaw(
    envelope: { from: string; to: string[] },
    raw: Buffer | string,
    /** With `receivedAsDated`: `clock` receives this one at the fixed clock instead. */
    received?: 'dated' | 'clock',
  ): Promise<string>;
  /** Sends a message composed by nodemailer. */
  send(message: SendMailOptions): Promise<string>;
  /** The message item a logged message left in the table, read directly. */
  storedMessage(userId: string, messageId: string): Promise<Record<string, unknown> | undefined>;
}

/** The whole local stack on free ports, in memory, with a temporary raw-mail folder. */
export async function startTestStack(
  options: {
    mailDomain?: string;
    /** A clock spec (`fixed:…`), or a clock a test moves itself. */
    clock?: string | Clock;
    relaxedAuth?: boolean;
    resolver?: DNSResolver;
    smtpLimits?: Partial<SmtpLimits>;
    /**
     * Each message sent over SMTP is received a minute after its own Date header (when that is
     * within the year before the fixed clock), as a user's mail is; the fixed clock otherwise.
     */
    receivedAsDated?: boolean;
    /** Writes the stack file, so the compiled CLI finds this stack as it finds `npm start`. */
    writeStackFile?: boolean;
  } = {},
): Promise<TestStack> {
  let receipt: Date | null = null;
  const fixed = typeof options.clock === 'string' ? /^fixed:(.+)$/.exec(options.clock)?.[1] : null;
  if (options.receivedAsDated && !fixed) throw new Error('receivedAsDated needs a fixed: clock');
  const base = fixed ? new Date(fixed) : null;
  const clock: Clock | undefined =
    typeof options.clock === 'function'
      ? options.clock
      : options.receivedAsDated && base
        ? () => receipt ?? base
        : undefined;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'givefirst-stack-'));
  const config = {
    ...readLocalConfig({ GIVEFIRST_DATA_DIR: dataDir }),
    mailDomain: options.mailDomain ?? 'in.givefirst.test',
    smtpPort: 0,
    dynamoPort: 0,
    sesPort: 0,
    httpPort: 0,
    // Tests drive the scheduler themselves, at the moments they choose.
    schedulerSeconds: 0,
    clock: typeof options.clock === 'string' && !clock ? options.clock : 'system',
    relaxedAuth: options.relaxedAuth ?? true,
  };
  const stack = await startLocalStack(config, {
    logger: silentLogger,
    inMemory: true,
    ...(options.writeStackFile ? { writeStackFile: true } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.smtpLimits ? { smtpLimits: options.smtpLimits } : {}),
    ...(clock ? { clock } : {}),
  });
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  return {
    ...stack,
    async sendRaw(envelope, raw, received = 'dated') {
      if (base && options.receivedAsDated && received === 'dated') {
        const header = /^Date:[ \t]*(.+)$/im.exec(String(raw).split(/\r?\n\r?\n/)[0] ?? '');
        const dated = header ? new Date(header[1] ?? '') : null;
        const yearBefore = base.getTime() - 366 * 24 * 3_600_000;
        receipt =
          dated && dated.getTime() <= base.getTime() && dated.getTime() > yearBefore
            ? new Date(dated.getTime() + 60_000)
            : null;
      }
      try {
        const info = await transport.sendMail({ envelope, raw });
        return info.response;
      } finally {
        receipt = null;
      }
    },
    async send(message) {
      const info = await transport.sendMail(message);
      return info.response;
    },
    async storedMessage(userId, messageId) {
      const client = makeDocumentClient({ region: 'local', endpoint: stack.dynamo.endpoint });
      try {
        const got = await client.send(
          new GetCommand({
            TableName: config.tableName,
            Key: keys.message(userId, shortKey(normaliseMessageId(messageId))),
          }),
        );
        return got.Item;
      } finally {
        client.destroy();
      }
    },
    async stop() {
      transport.close();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
