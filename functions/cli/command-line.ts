// What the operator typed, checked before anything is loaded or opened: no I/O, no dependencies,
// so `--help` and every mistake are answered at once.
import { parseArgs } from 'node:util';

/** A mistake in the command line: said in one sentence, with what would work. Exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** What would work instead: a corrected command, the closest flag, the command's usage. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const flags = {
  json: { type: 'boolean', about: 'print one JSON document on stdout and nothing else' },
  help: { type: 'boolean', short: 'h', about: 'show this help' },
  alias: { type: 'string', multiple: true, value: 'EMAIL' },
  tz: { type: 'string', value: 'ZONE' },
  at: { type: 'string', value: 'HH:MM' },
  'as-of': { type: 'string', value: 'ISO-TIME' },
  'dry-run': { type: 'boolean' },
  now: { type: 'boolean' },
  days: { type: 'string', value: 'N' },
  to: { type: 'string', value: 'ADDRESS' },
  'trust-sender': { type: 'boolean' },
  force: { type: 'boolean' },
  yes: { type: 'boolean' },
  list: { type: 'boolean' },
  remove: { type: 'boolean' },
  aws: { type: 'boolean', about: 'work against the deployment on AWS instead of the local stack' },
  region: { type: 'string', value: 'REGION' },
  'stack-prefix': { type: 'string', value: 'PREFIX' },
} as const satisfies Record<
  string,
  { type: 'boolean' | 'string'; short?: string; multiple?: boolean; value?: string; about?: string }
>;

type FlagName = keyof typeof flags;

interface CommandSpec {
  /** What follows the command's name: `EMAIL`, `FILE.eml…`, or nothing. */
  operand?: { name: string; many?: boolean; optional?: boolean };
  flags: FlagName[];
  synopsis: string;
  about: string;
}

export const commands = {
  'user add': {
    operand: { name: 'EMAIL' },
    flags: ['alias', 'tz', 'at'],
    synopsis: 'user add EMAIL [--alias EMAIL]… [--tz ZONE] [--at HH:MM]',
    about: 'register a user',
  },
  'user list': {
    flags: [],
    synopsis: 'user list',
    about: 'users, their settings and sending state',
  },
  'user set': {
    operand: { name: 'EMAIL' },
    flags: ['tz', 'at'],
    synopsis: 'user set EMAIL [--tz ZONE] [--at HH:MM]',
    about: "change a user's time zone or digest hour",
  },
  'user resume': {
    operand: { name: 'EMAIL' },
    flags: [],
    synopsis: 'user resume EMAIL',
    about: 'send digests again (after a pause, unsubscribe or bounce)',
  },
  'user delete': {
    operand: { name: 'EMAIL' },
    flags: ['yes'],
    synopsis: 'user delete EMAIL [--yes]',
    about: 'remove every record of a user (asks unless --yes)',
  },
  contacts: {
    operand: { name: 'EMAIL' },
    flags: ['as-of'],
    synopsis: 'contacts EMAIL [--as-of ISO-TIME]',
    about: "a user's contacts and their ledger",
  },
  digest: {
    operand: { name: 'EMAIL' },
    flags: ['dry-run', 'now', 'force', 'as-of'],
    synopsis: 'digest EMAIL --dry-run [--as-of ISO-TIME]',
    about: 'print the digest it would send',
  },
  threads: {
    operand: { name: 'EMAIL' },
    flags: ['as-of'],
    synopsis: 'threads EMAIL [--as-of ISO-TIME]',
    about: "a user's tracked threads and who is awaited",
  },
  rejections: {
    flags: ['days'],
    synopsis: 'rejections [--days N]',
    about: 'recent inbound mail that was not logged',
  },
  ingest: {
    operand: { name: 'FILE.eml', many: true },
    flags: ['to', 'trust-sender'],
    synopsis: 'ingest FILE.eml… [--to ADDRESS] [--trust-sender]',
    about: 'feed raw messages through the ingest path',
  },
  redrive: {
    flags: [],
    synopsis: 'redrive',
    about: 'reprocess stored raw mail whose ingest failed',
  },
  allow: {
    operand: { name: 'DOMAIN', optional: true },
    flags: ['list', 'remove'],
    synopsis: 'allow DOMAIN | allow --list | allow --remove DOMAIN',
    about: 'domains whose people may join by writing to start@',
  },
  'ses-event': {
    operand: { name: 'FILE.json' },
    flags: [],
    synopsis: 'ses-event FILE.json',
    about: 'act on an SES bounce, complaint or delivery notification',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commands;

const commandNames = Object.keys(commands) as CommandName[];

const line = (synopsis: string, about: string) => `  ${synopsis.padEnd(56)}  ${about}`;

export const usage = `usage: givefirst <command> [options]

${commandNames
  .flatMap((name) => [
    line(commands[name].synopsis, commands[name].about),
    ...(name === 'digest'
      ? [
          line('digest EMAIL --now', 'send it now (at most one a day), through npm start'),
          line('digest EMAIL --now --force', 'send it to a user who is not active'),
        ]
      : []),
  ])
  .join('\n')}

  --json   print one JSON document on stdout and nothing else
  --aws [--region REGION] [--stack-prefix PREFIX]
           against the deployment: its stacks PREFIXStateful and PREFIXStateless (default
           prefix Givefirst) in REGION (default: AWS_REGION or the profile's), with the
           standard AWS credentials (AWS_PROFILE, environment, SSO…)
  --help   this help
Data: GIVEFIRST_DATA_DIR (default ./.givefirst). Talks to \`npm start\` when it is running,
and then runs on its clock (GIVEFIRST_CLOCK on \`npm start\`).`;

export interface TypedLine {
  command: CommandName;
  /** The operands: the user's address, or the files to ingest. */
  operands: string[];
  json: boolean;
  alias: string[];
  tz?: string;
  at?: string;
  /** --as-of as typed; `readAsOf` reads it. */
  asOf?: string;
  dryRun: boolean;
  now: boolean;
  /** `digest --now`: send to a user who is not active. */
  force: boolean;
  /** `user delete`: do not ask. */
  yes: boolean;
  /** `allow --list`: the allowed domains. */
  list: boolean;
  /** `allow --remove DOMAIN`. */
  remove: boolean;
  days?: number;
  to?: string;
  trustSender: boolean;
  /** Against the deployment on AWS, found by its region and stack prefix. */
  aws: boolean;
  region?: string;
  stackPrefix?: string;
}

export type Parsed = { help: true } | ({ help: false } & TypedLine);

/** What a command runs with: the command line with its moment read. */
export type CommandLine = Omit<TypedLine, 'asOf'> & { asOf?: Date };

/** Edit distance (with swapped neighbours as one edit), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate closest to what was typed, if it is close enough to be what was meant. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = candidate.startsWith(typed) && typed.length >= 2 ? 0 : distance(typed, candidate);
    if (!best || score < best.score) best = { candidate, score };
  }
  return best && best.score <= Math.max(2, Math.floor(typed.length / 3))
    ? best.candidate
    : undefined;
}

const flagsOf = (command: CommandName): FlagName[] => [
  ...commands[command].flags,
  'aws',
  'region',
  'stack-prefix',
  'json',
  'help',
];

const usageOf = (command: CommandName) =>
  `usage: givefirst ${commands[command].synopsis} [--json]  (givefirst --help lists every command)`;

/** Which command, which operands, which flags: every mistake is a UsageError saying what works. */
export function parseCommandLine(argv: string[]): Parsed {
  const { tokens } = parseArgs({
    args: argv,
    options: flags,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const given = new Map<FlagName, string[]>();
  const unknown: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (!(token.name in flags)) {
      unknown.push(token.rawName);
      continue;
    }
    const name = token.name as FlagName;
    const spec: { type: 'boolean' | 'string'; value?: string } = flags[name];
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (given "${token.value}")`);
    }
    if (
      spec.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
    ) {
      throw new UsageError(
        `${token.rawName} needs a value`,
        `for example: ${token.rawName} ${spec.value === 'ISO-TIME' ? '2026-03-05T09:00:00Z' : (spec.value ?? 'VALUE')}`,
      );
    }
    given.set(name, [...(given.get(name) ?? []), token.value ?? '']);
  }
  if (given.has('help') || positionals[0] === 'help') return { help: true };

  const [first, second] = positionals;
  const [firstUnknown] = unknown;
  if (!first && firstUnknown) {
    const near = closest(firstUnknown.replace(/^-+/, ''), Object.keys(flags));
    throw new UsageError(
      `unknown option ${firstUnknown}`,
      `${near ? `did you mean --${near}?\n` : ''}${usage}`,
    );
  }
  if (!first) throw new UsageError('which command?', usage);
  const typed = first === 'user' && second ? `user ${second}` : first;
  const command = commandNames.find((name) => name === typed);
  if (!command) {
    if (first === 'user') {
      throw new UsageError(
        second
          ? `there is no command "user ${second}"`
          : 'user needs what to do: add, list, set, resume or delete',
        `try: givefirst ${closest(typed, commandNames) ?? 'user list'}`,
      );
    }
    const near = closest(first, commandNames);
    throw new UsageError(
      `unknown command "${first}"`,
      near ? `did you mean: givefirst ${near}? (givefirst --help lists every command)` : usage,
    );
  }
  const spec: CommandSpec = commands[command];
  const allowed = flagsOf(command);

  for (const raw of unknown) {
    const bare = raw.replace(/^-+/, '');
    const near = closest(bare, allowed) ?? closest(bare, Object.keys(flags));
    throw new UsageError(
      `unknown option ${raw}`,
      `${near ? `did you mean --${near}?\n` : ''}${usageOf(command)}`,
    );
  }
  for (const name of given.keys()) {
    if (!allowed.includes(name)) {
      throw new UsageError(
        `${command} does not take --${name}`,
        `it takes ${allowed.map((f) => `--${f}`).join(', ')}\n${usageOf(command)}`,
      );
    }
    if (!(flags[name] as { multiple?: boolean }).multiple && (given.get(name)?.length ?? 0) > 1) {
      throw new UsageError(`--${name} is given twice; give it once`, usageOf(command));
    }
  }

  const operands = positionals.slice(command.startsWith('user ') ? 2 : 1);
  if (spec.operand && !spec.operand.optional && operands.length === 0) {
    throw new UsageError(
      `${command} needs ${spec.operand.many ? 'at least one file' : spec.operand.name === 'EMAIL' ? "the user's email address" : spec.operand.name}`,
      usageOf(command),
    );
  }
  const most = spec.operand ? (spec.operand.many ? Number.POSITIVE_INFINITY : 1) : 0;
  if (operands.length > most) {
    throw new UsageError(
      `${command} takes ${most === 0 ? 'nothing' : `one ${spec.operand?.name}`} besides options; "${operands[most]}" is one too many`,
      usageOf(command),
    );
  }

  const one = (name: FlagName) => given.get(name)?.[0];
  const days = one('days');
  if (days !== undefined && !/^[1-9]\d*$/.test(days)) {
    throw new UsageError(`--days ${days} is not a whole number of days`, 'for example: --days 30');
  }
  const asOf = one('as-of');
  const region = one('region');
  const stackPrefix = one('stack-prefix');
  if (!given.has('aws') && (region !== undefined || stackPrefix !== undefined)) {
    throw new UsageError(
      `--${region !== undefined ? 'region' : 'stack-prefix'} goes with --aws`,
      `for example: givefirst ${command} --aws --region ${region ?? 'eu-west-1'}`,
    );
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new UsageError(
      `--region ${region} is not an AWS region`,
      'for example: --region eu-west-1',
    );
  }
  if (stackPrefix !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,100}$/.test(stackPrefix)) {
    throw new UsageError(
      `--stack-prefix ${stackPrefix} cannot start a stack name`,
      'for example: --stack-prefix Givefirst (the stacks GivefirstStateful and GivefirstStateless)',
    );
  }
  const line: TypedLine = {
    command,
    operands,
    json: given.has('json'),
    alias: given.get('alias') ?? [],
    dryRun: given.has('dry-run'),
    now: given.has('now'),
    force: given.has('force'),
    yes: given.has('yes'),
    list: given.has('list'),
    remove: given.has('remove'),
    trustSender: given.has('trust-sender'),
    aws: given.has('aws'),
    ...(region !== undefined ? { region } : {}),
    ...(stackPrefix !== undefined ? { stackPrefix } : {}),
    ...(one('tz') !== undefined ? { tz: one('tz') } : {}),
    ...(one('at') !== undefined ? { at: one('at') } : {}),
    ...(one('to') !== undefined ? { to: one('to') } : {}),
    ...(days !== undefined ? { days: Number(days) } : {}),
    ...(asOf !== undefined ? { asOf } : {}),
  };
  if (line.aws && command === 'ingest') {
    throw new UsageError(
      'ingest works on the local stack: a deployment receives mail through SES',
      `send the message to log@ the deployment's mail domain; givefirst rejections --aws shows what was not logged`,
    );
  }
  if (line.aws && command === 'digest' && line.now) {
    throw new UsageError(
      "on AWS the digests are sent by the deployment's schedule",
      `givefirst digest ${operands[0]} --dry-run --aws prints the one it would send`,
    );
  }
  if (command === 'allow') {
    if (line.list && (line.remove || operands.length > 0)) {
      throw new UsageError('--list takes no domain and no --remove', 'givefirst allow --list');
    }
    if (!line.list && operands.length === 0) {
      throw new UsageError(
        line.remove ? 'allow --remove needs the domain' : 'allow needs a domain, or --list',
        'for example: givefirst allow example.com',
      );
    }
  }
  if (command === 'digest') {
    if (line.now && line.dryRun) {
      throw new UsageError('--now sends it, --dry-run prints it: choose one', usageOf(command));
    }
    if (line.force && !line.now) {
      throw new UsageError(
        '--force goes with --now',
        `givefirst digest ${operands[0]} --now --force`,
      );
    }
    if (line.now && line.asOf) {
      throw new UsageError('--now sends as of the clock; --as-of goes with --dry-run');
    }
    if (!line.now && !line.dryRun) {
      throw new UsageError(
        'digest takes --dry-run (print it) or --now (send it)',
        `for example: givefirst digest ${operands[0]} --dry-run`,
      );
    }
  }
  return { help: false, ...line };
}
