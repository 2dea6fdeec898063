import type { DNSResolver } from 'mailauth';
import { makeClock } from '#adapters/clock.ts';
import { type RunningHttp, startUnsubscribeListener } from '#adapters/http/unsubscribe-listener.ts';
import { makeMailauthVerdicts } from '#adapters/mail/mailauth-verdicts.ts';
import { type RunningSmtp, startSmtpFrontDoor } from '#adapters/smtp/smtp-front-door.ts';
import type { Verdicts } from '#domain/model.ts';
import type { Clock, Logger } from '#domain/ports.ts';
import { makeRunScheduler } from '#use-cases/run-scheduler.ts';
import { makeUnsubscribe } from '#use-cases/unsubscribe.ts';
import { makeLocalDigestSender } from './digest-sender.ts';
import type { RunningDynalite } from './dynalite-server.ts';
import type { LocalConfig } from './local-config.ts';
import { openLocalData } from './local-data.ts';
import { makeLocalReplyHandler } from './reply-handler.ts';
import type { LocalServices } from './services.ts';
import { type RunningSesEmulator, startSesEmulator } from './ses-emulator.ts';
import { removeStackFile, writeStackFile } from './stack-file.ts';
import { localReplyTokens } from './token-keys.ts';

/** The in-process timer that runs the same scheduler EventBridge runs on AWS. */
async function startScheduler(
  services: LocalServices,
  options: Parameters<typeof makeLocalDigestSender>[1] & { everySeconds: number },
): Promise<{ close(): Promise<void> }> {
  const sender = await makeLocalDigestSender(services, options);
  const runScheduler = makeRunScheduler({
    store: services.store,
    sendDigest: sender.sendDigest,
    clock: options.clock,
    logger: options.logger,
  });
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(runScheduler).catch((error: unknown) =>
      options.logger.error('scheduler run failed', {
        failure: error instanceof Error ? error.message : String(error),
      }),
    );
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
  stop(): Promise<void>;
}

/** Large enough for real mail with attachments; larger messages are refused at the door. */
const maxMessageBytes = 50 * 1024 * 1024;

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
  },
): Promise<LocalStack> {
  const { logger } = options;
  const clock = options.clock ?? makeClock(config.clock);
  const data = await openLocalData(config, {
    clock,
    logger,
    port: config.dynamoPort,
    ...(options.inMemory ? { inMemory: true } : {}),
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
      maxMessageBytes,
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
    if (config.schedulerSeconds > 0) {
      started.push(
        await startScheduler(services, {
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
