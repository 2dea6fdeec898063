// `npm start`: the embedded local stack in one process.
import './quiet-sdk-warning.ts';
import { parseArgs } from 'node:util';
import { makeLogger } from '#adapters/logger.ts';
import { ConfigError } from '#domain/errors.ts';
import { DataFolderBusyError } from './dynalite-server.ts';
import { readLocalConfig } from './local-config.ts';
import { startLocalStack } from './local-stack.ts';
import { findRunningStack } from './stack-file.ts';

const { values } = parseArgs({
  options: { 'relaxed-auth': { type: 'boolean', default: false }, clock: { type: 'string' } },
});

try {
  const config = readLocalConfig(
    { ...process.env, ...(values.clock ? { GIVEFIRST_CLOCK: values.clock } : {}) },
    { relaxedAuth: values['relaxed-auth'] || process.env.GIVEFIRST_RELAXED_AUTH === '1' },
  );
  const running = await findRunningStack(config.dataDir);
  if (running) {
    console.error(`givefirst is already running for ${config.dataDir} (pid ${running.pid}).`);
    process.exit(1);
  }
  const logger = makeLogger({ runtime: 'local' });
  // Last resort only: every server handles its own bad input (a 4xx, a 421, one connection
  // closed). Should a throw still escape, it costs that one request, not the user's whole stack.
  process.on('uncaughtException', (error) =>
    logger.error('uncaught exception, still serving', { error: error.name, detail: error.message }),
  );
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled rejection, still serving', {
      detail: reason instanceof Error ? reason.message : String(reason),
    }),
  );
  const stack = await startLocalStack(config, { logger, writeStackFile: true });
  const allowed = (await stack.services.onboarding.allowedDomains()).map((d) => d.domain);
  const joining = allowed.length
    ? `start@${config.mailDomain} open to ${allowed.join(', ')}`
    : `closed (npx givefirst allow DOMAIN opens start@${config.mailDomain})`;
  const auth = config.relaxedAuth
    ? 'RELAXED: any From address of a registered user is believed (--relaxed-auth)'
    : 'required: DMARC pass or DKIM aligned with From, checked by mailauth against DNS';
  console.log(`
givefirst is running (local stack, pid ${process.pid})

  send mail to      smtp://${stack.smtp.address}  (no TLS, no login)
  inbound domain    ${config.mailDomain}  (BCC log@${config.mailDomain})
  data kept in      ${config.dataDir}
  sent mail page    ${stack.ses.endpoint}/
  web (unsubscribe) ${stack.http.url}/unsubscribe
  DynamoDB API      ${stack.dynamo.endpoint}
  clock             ${config.clock}  (now ${stack.clock().toISOString()})
  sender auth       ${auth}
  joining by email  ${joining}
  digests           ${config.schedulerSeconds > 0 ? `sent by the scheduler every ${config.schedulerSeconds} s, at each user's hour (the sent-mail page shows them)` : 'not scheduled (GIVEFIRST_SCHEDULER_SECONDS=0)'}

  register yourself: npx givefirst user add you@example.com --tz Europe/Berlin
  Ctrl-C stops it.
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`givefirst: ${error.message}`);
    process.exit(2);
  }
  const failure = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (failure.code === 'EADDRINUSE') {
    console.error(
      `givefirst: ${failure.address}:${failure.port} is already in use. Stop what uses it, or choose other ports with GIVEFIRST_SMTP_PORT, GIVEFIRST_DYNAMO_PORT and GIVEFIRST_SES_PORT.`,
    );
    process.exit(1);
  }
  if (error instanceof DataFolderBusyError) {
    console.error(
      'givefirst: the data folder is open in another process (a givefirst command still running?). Try again when it is done, or set GIVEFIRST_DATA_DIR.',
    );
    process.exit(1);
  }
  throw error;
}
