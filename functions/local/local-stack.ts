import type { DNSResolver } from 'mailauth';
import { makeClock } from '#adapters/clock.ts';
import { type RunningHttp, startUnsubscribeListener } from '#adapters/http/unsubscribe-listener.ts';
import { makeMailauthVerdicts } from '#adapters/mail/mailauth-verdicts.ts';
import {
  defaultSmtpLimits,
  type RunningSmtp,
  type SmtpLimits,
  startSmtpFrontDoor,
} from '#adapters/smtp/smtp-front-door.ts';
import type { Verdicts } from '#domain/model.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { rawMailRetentionDays } from '#domain/retention.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeUnsubscribe } from '#use-cases/unsubscribe.ts';
import { makeLocalDigestSender } from './digest-sender.ts';
import type { RunningDynalite } from './dynalite-server.ts';
import type { LocalConfig } from './local-config.ts';
import { openLocalData } from './local-data.ts';
import { makeLocalReplyHandler } from './reply-handler.ts';
import type { LocalServices } from './services.ts';
import { type RunningSesEmulator, startSesEmulator } from './ses-emulator.ts';
import { describeClock, removeStackFile, writeStackFile } from './stack-file.ts';
import { localReplyTokens } from './token-keys.ts';

/**
 * The in-process timer: the same scheduler EventBridge runs on AWS, and the expiry S3's lifecycle
 * rule does there. A failed run is logged and the next tick tries again.
 */
async function startTimer(
  services: LocalServices,
  options: Parameters<typeof makeLocalDigestSender>[1] & {
    everySeconds: number;
    expireRawMail: () => Promise<number>;
  },
): Promise<{ close(): Promise<void> }> {
  const sender = await makeLocalDigestSender(services, options);
  const runScheduler = makeRunScheduler({
    store: services.store,
    sendDigest: sender.sendDigest,
    clock: options.clock,
    logger: options.logger,
  });
  let running: Promise<unknown> = Promise.resolve();
  const failed = (what: string) => (error: unknown) =>
    options.logger.error(`${what} failed`, {
      failure: error instanceof Error ? error.message : String(error),
    });
  const tick = () => {
    running = running
      .then(runScheduler)
      .catch(failed('scheduler run'))
      .then(options.expireRawMail)
      .catch(failed('raw mail expiry'));
  };
  tick();
  const timer = setInterval(tick, options.everySeconds * 1000);
  return {
    async close() {
      clearInterval(timer);
      await running;
      sender.close();
    },
  };
}

export interface LocalStack {
  config: LocalConfig;
  /** The web listener (one-click unsubscribe). */
  http: RunningHttp;
  /** Where links in digests point. */
  publicUrl: string;
  clock: Clock;
  services: LocalServices;
  dynamo: RunningDynalite;
  smtp: RunningSmtp;
  ses: RunningSesEmulator;
  /** Deletes raw mail past its retention, as the timer does every tick; returns the day folders removed. */
  expireRawMail(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The embedded stack in one process: dynalite (persisted under the data folder unless `inMemory`),
 * the SMTP front door, the SES emulator, and the same use cases the Lambda functions run.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: {
    logger: Logger;
    inMemory?: boolean;
    writeStackFile?: boolean;
    /** DNS for sender authentication (DKIM keys, SPF, DMARC); the system's when not given. */
    resolver?: DNSResolver;
    /** A clock to run on instead of `config.clock` (a test that moves time step by step). */
    clock?: Clock;
    /** Tighter SMTP bounds (a test of the limits), otherwise `defaultSmtpLimits`. */
    smtpLimits?: Partial<SmtpLimits>;
  },
): Promise<LocalStack> {
  const { logger } = options;
  const clock = options.clock ?? makeClock(config.clock);
  const data = await openLocalData(config, {
    clock,
    logger,
    port: config.dynamoPort,
    ...(options.inMemory ? { inMemory: true } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const { dynamo, services } = data;
  const started: { close(): Promise<void> }[] = [data];
  try {
    const ses = await startSesEmulator(config.sesPort);
    started.push(ses);
    const authenticate = makeMailauthVerdicts({
      mta: config.mailDomain,
      ...(options.resolver ? { resolver: options.resolver } : {}),
    });
    const replies = await makeLocalReplyHandler(services, {
      dataDir: config.dataDir,
      mailDomain: config.mailDomain,
      sesEndpoint: ses.endpoint,
      clock,
      logger,
    });
    started.push({ close: async () => replies.close() });
    const relaxed: Verdicts = { source: 'relaxed' };
    const smtp = await startSmtpFrontDoor({
      host: config.smtpHost,
      port: config.smtpPort,
      mailDomain: config.mailDomain,
      limits: { ...defaultSmtpLimits, ...options.smtpLimits },
      rawMail: services.rawMail,
      ingest: services.makeIngest(replies.answers),
      clock,
      logger,
      verdictsFor: async (session, rawKey) =>
        config.relaxedAuth
          ? relaxed
          : authenticate(await services.rawMail.open(rawKey), {
              ip: session.remoteAddress,
              helo: session.hostNameAppearsAs,
              ...(session.envelope.mailFrom ? { mailFrom: session.envelope.mailFrom.address } : {}),
            }),
    });
    started.push(smtp);
    const tokens = await localReplyTokens(config.dataDir);
    const http = await startUnsubscribeListener({
      host: config.smtpHost,
      port: config.httpPort,
      unsubscribe: makeUnsubscribe({ store: services.store, tokens, clock }),
      logger,
    });
    started.push(http);
    const publicUrl = config.publicUrl ?? http.url;
    const expireRawMail = () => services.rawMail.expire(clock(), rawMailRetentionDays);
    if (config.schedulerSeconds > 0) {
      started.push(
        await startTimer(services, {
          expireRawMail,
          dataDir: config.dataDir,
          mailDomain: config.mailDomain,
          sesEndpoint: ses.endpoint,
          publicUrl,
          clock,
          logger,
          everySeconds: config.schedulerSeconds,
        }),
      );
    }
    if (options.writeStackFile) {
      await writeStackFile(config.dataDir, {
        pid: process.pid,
        dynamoEndpoint: dynamo.endpoint,
        sesEndpoint: ses.endpoint,
        publicUrl,
        smtp: smtp.address,
        mailDomain: config.mailDomain,
        startedAt: clock().toISOString(),
        clock: describeClock(options.clock ? 'custom' : config.clock, clock),
      });
    }
    return {
      config,
      clock,
      services,
      dynamo,
      smtp,
      ses,
      http,
      publicUrl,
      expireRawMail,
      async stop() {
        if (options.writeStackFile) await removeStackFile(config.dataDir);
        for (const part of started.reverse()) await part.close();
      },
    };
  } catch (error) {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
    throw error;
  }
}
