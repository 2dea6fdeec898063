// `npx givefirst …`: the operator's command line, against the local stack, or with --aws a deployment.
// The command line is checked first, with nothing loaded; each command then imports only what
// it uses, so `--help` and a mistake are answered at once.
import { type CommandName, parseCommandLine, UsageError, usage } from './command-line.ts';
import type { Command, Connector } from './commands/command.ts';

const commands: Record<CommandName, () => Promise<Command>> = {
  'user add': async () => (await import('./commands/user-add.ts')).userAdd,
  'user list': async () => (await import('./commands/user-list.ts')).userList,
  'user set': async () => (await import('./commands/user-set.ts')).userSet,
  'user resume': async () => (await import('./commands/user-resume.ts')).userResume,
  'user delete': async () => (await import('./commands/user-delete.ts')).userDelete,
  'ses-event': async () => (await import('./commands/ses-event.ts')).sesEvent,
  allow: async () => (await import('./commands/allow.ts')).allow,
  contacts: async () => (await import('./commands/contacts.ts')).contacts,
  digest: async () => (await import('./commands/digest.ts')).digest,
  threads: async () => (await import('./commands/threads.ts')).threads,
  rejections: async () => (await import('./commands/rejections.ts')).rejections,
  ingest: async () => (await import('./commands/ingest.ts')).ingest,
  redrive: async () => (await import('./commands/redrive.ts')).redrive,
};

const warn = (message: string) => process.stderr.write(`givefirst: ${message}\n`);

const connected: Connector = async (use) => {
  const [{ connect }, { readLocalConfig }] = await Promise.all([
    import('./connect.ts'),
    import('#local/local-config.ts'),
  ]);
  const conn = await connect(readLocalConfig(process.env), { warn });
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
};

/** --aws: the deployment's table, bucket and failure queue, found from its stacks' outputs. */
const awsConnected =
  (target: { region?: string; stackPrefix?: string }): Connector =>
  async (use) => {
    const { connectAws } = await import('./aws-connect.ts');
    const conn = await connectAws(target);
    try {
      return await use(conn);
    } finally {
      await conn.close();
    }
  };

/** What went wrong, said once: on stderr, and with --json as the one document on stdout. */
function fail(argv: string[], kind: 'usage' | 'failed', message: string, hint?: string): void {
  warn(hint ? `${message}\n${hint}` : message);
  if (argv.includes('--json')) {
    process.stdout.write(
      `${JSON.stringify({ error: { kind, message, ...(hint ? { hint } : {}) } }, null, 2)}\n`,
    );
  }
}

/** Errors a user can act on, whatever their class; anything else is a failure of givefirst. */
async function explain(argv: string[], error: unknown): Promise<number> {
  if (error instanceof UsageError) {
    fail(argv, 'usage', error.message, error.hint);
    return 2;
  }
  if (argv.includes('--aws')) {
    const { DeploymentError } = await import('./deployment-error.ts');
    if (error instanceof DeploymentError) {
      fail(argv, 'failed', error.message, error.hint);
      return 1;
    }
  }
  const [{ ConfigError }, { DataFolderBusyError }] = await Promise.all([
    import('#domain/errors.ts'),
    import('#local/dynalite-server.ts'),
  ]);
  if (error instanceof ConfigError) {
    fail(
      argv,
      'usage',
      error.message,
      'the GIVEFIRST_* settings are under "Local settings" in the README',
    );
    return 2;
  }
  if (error instanceof DataFolderBusyError) {
    fail(
      argv,
      'failed',
      'the data folder is open in another process that is not a running stack',
      'try again when it is done',
    );
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.GIVEFIRST_DEBUG) console.error(error);
  fail(
    argv,
    'failed',
    `failed: ${message}`,
    process.env.GIVEFIRST_DEBUG ? undefined : 'GIVEFIRST_DEBUG=1 shows where',
  );
  return 1;
}

async function main(argv: string[]): Promise<number> {
  try {
    const line = parseCommandLine(argv);
    if (line.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const { help: _, asOf, ...rest } = line;
    const asOfMoment = asOf === undefined ? undefined : (await import('./as-of.ts')).readAsOf(asOf);
    const command = await commands[line.command]();
    const connector = line.aws
      ? awsConnected({
          ...(line.region ? { region: line.region } : {}),
          ...(line.stackPrefix ? { stackPrefix: line.stackPrefix } : {}),
        })
      : connected;
    return await command({ ...rest, ...(asOfMoment ? { asOf: asOfMoment } : {}) }, connector);
  } catch (error) {
    return explain(argv, error);
  }
}

process.exitCode = await main(process.argv.slice(2));
