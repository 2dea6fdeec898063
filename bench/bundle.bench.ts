// Each handler's bundle as CDK builds it: its size, whether the AWS SDK is inside, and how long a
// fresh Node process takes to load it, against a bundle of only the SDK clients it makes. Then the
// ingest bundle under other bundling choices, each measured the same way, and the one chosen; and
// the mail parser alone, mailparser against postal-mime, each against an empty module.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { buildApp } from '../infra/build-app.ts';
import {
  besideCommands,
  besideModules,
  bundleOptions,
} from '../infra/constructs/givefirst-function.ts';
import { repoRoot } from '../infra/repo-paths.ts';
import { median, report } from './measure.ts';

const exec = promisify(execFile);

/** The functions, by the prefix of their logical id, and the SDK clients and commands each makes. */
const handlers = [
  {
    name: 'ingest-email',
    idPrefix: 'IngestEmail',
    target: '<= 1024 KB, ratio <= 1.5x',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';",
      "import { S3Client, GetObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';",
      "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
      "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
      'export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new S3Client({}), new SESv2Client({}), new SecretsManagerClient({}), GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, GetObjectCommand, DeleteObjectCommand, SendEmailCommand, GetSecretValueCommand];',
    ],
  },
  {
    name: 'schedule-digests',
    idPrefix: 'DigestSchedulerScheduleDigests',
    target: '<= 500 KB',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';",
      "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
      "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
      "import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';",
      'export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SESv2Client({}), new SecretsManagerClient({}), new SQSClient({}), GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, SendEmailCommand, GetSecretValueCommand, SendMessageBatchCommand];',
    ],
  },
  {
    name: 'send-digests',
    idPrefix: 'DigestSchedulerSendDigests',
    target: '<= 500 KB',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';",
      "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
      "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
      'export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SESv2Client({}), new SecretsManagerClient({}), GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, SendEmailCommand, GetSecretValueCommand];',
    ],
  },
  {
    name: 'unsubscribe',
    idPrefix: 'Unsubscribe',
    target: '< 2.5 MB',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';",
      "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
      'export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SecretsManagerClient({}), UpdateCommand, GetSecretValueCommand];',
    ],
  },
  {
    name: 'ses-notification',
    idPrefix: 'SesNotification',
    target: '< 2.5 MB',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';",
      'export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), GetCommand, UpdateCommand];',
    ],
  },
] as const;

/** The environment every handler reads at start, with placeholder values. */
const handlerEnv = {
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 't',
  RAW_MAIL_BUCKET: 'b',
  RAW_MAIL_PREFIX: 'inbound/',
  MAIL_DOMAIN: 'in.example.com',
  FROM_ADDRESS: 'digest@example.com',
  CONFIGURATION_SET: 'givefirst',
  PUBLIC_URL: 'https://givefirst.example.com',
  REPLY_TOKEN_KEYS_SECRET: 'givefirst/reply-token-keys',
  DIGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests',
  INLINE_DIGEST_LIMIT: '259',
  SES_SEND_INTERVAL_MS: '72',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Synthesises the app and returns each function's bundled index.mjs, by handler name. */
async function cdkBundles(): Promise<Map<string, string>> {
  const { app } = buildApp({
    mailDomain: 'in.example.org',
    fromAddress: 'digest@example.org',
    alarmEmail: 'ops@example.org',
    'aws:cdk:enable-asset-metadata': true,
  });
  const assembly = app.synth();
  const stack = assembly.getStackByName('GivefirstStateless');
  const resources = stack.template.Resources as Record<
    string,
    { Type: string; Metadata?: Record<string, string> }
  >;
  const bundles = new Map<string, string>();
  for (const handler of handlers) {
    const fn = Object.entries(resources).find(
      ([id, r]) =>
        r.Type === 'AWS::Lambda::Function' &&
        id.startsWith(handler.idPrefix) &&
        !id.slice(handler.idPrefix.length).startsWith('Logs'),
    );
    const assetPath = fn?.[1].Metadata?.['aws:asset:path'];
    if (!assetPath) throw new Error(`${handler.name}: asset not found in the synthesised template`);
    bundles.set(handler.name, path.join(assembly.directory, assetPath, 'index.mjs'));
  }
  return bundles;
}

/** The function construct's esbuild settings, for an entry that only makes the SDK clients. */
async function sdkOnlyBundle(directory: string, name: string, lines: readonly string[]) {
  const outfile = path.join(directory, `${name}-sdk-only.mjs`);
  await build({
    ...bundleOptions,
    stdin: { contents: lines.join('\n'), resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Bundling choices for the ingest function, each a change to the construct's settings (the first is
 * them as they are). Built here with esbuild, as CDK does, into a folder inside the repository so
 * that a bundle leaving the AWS SDK out loads it from node_modules, as Lambda's runtime would.
 */
const candidates: { name: string; options: BuildOptions; chosen?: true }[] = [
  {
    name: 'as deployed (module fields first, he replaced by its encode, five modules beside it)',
    options: {},
    chosen: true,
  },
  {
    name: 'one file, nothing kept beside it (html-to-text, charsets, tldts, MIME composer, chrono inside)',
    options: {
      alias: Object.fromEntries(
        Object.entries(bundleOptions.alias).filter(([k]) => !(k in besideModules)),
      ),
    },
  },
  {
    name: 'he bundled whole',
    options: {
      alias: Object.fromEntries(Object.entries(bundleOptions.alias).filter(([k]) => k !== 'he')),
    },
  },
  {
    name: "esbuild's node default fields (main first)",
    options: { mainFields: ['main', 'module'] },
  },
  {
    name: "AWS SDK left out, the Lambda runtime's used",
    options: { external: [...bundleOptions.external, '@aws-sdk/*', '@smithy/*'] },
  },
];

/**
 * The mail parser alone, each built with the construct's settings into the repository's cache (as
 * the candidates are): mailparser as the ingest function bundles it (its adapter, with the swaps
 * and the modules kept beside it), and postal-mime, the parser measured as its alternative. Each
 * load is compared with that of an empty module, so what is printed is the parser's own share.
 */
const parsers = [
  {
    name: 'mailparser, as the ingest bundle holds it',
    entry: { entryPoints: [path.join(repoRoot, 'functions/adapters/mail/parse-mail.ts')] },
  },
  {
    name: 'postal-mime, the alternative measured',
    entry: {
      stdin: {
        contents: "export { default } from 'postal-mime';",
        resolveDir: repoRoot,
        loader: 'ts' as const,
      },
    },
  },
  {
    name: 'an empty module',
    entry: { stdin: { contents: 'export {};', resolveDir: repoRoot, loader: 'ts' as const } },
  },
];

async function parserLoads(directory: string): Promise<void> {
  const files: string[] = [];
  for (const [i, parser] of parsers.entries()) {
    const outfile = path.join(directory, `parser-${i}.mjs`);
    await build({ ...bundleOptions, ...parser.entry, bundle: true, outfile, logLevel: 'silent' });
    for (const command of besideCommands(repoRoot, outfile)) await exec('sh', ['-c', command]);
    files.push(outfile);
  }
  const loads: number[][] = files.map(() => []);
  for (let k = 0; k < loadRounds; k++) {
    for (const [i, file] of files.entries()) loads[i]?.push(await loadTime(file));
  }
  const empty = median(loads.at(-1) ?? []);
  for (const [i, parser] of parsers.slice(0, -1).entries()) {
    const load = median(loads[i] ?? []);
    report(`  the mail parser alone: ${parser.name}`, {
      KB: (await stat(files[i] as string)).size / 1024,
      load_ms: load,
      empty_module_load_ms: empty,
      load_beyond_empty_ms: load - empty,
    });
  }
}

async function candidateBundle(directory: string, options: BuildOptions, i: number) {
  const outfile = path.join(directory, `ingest-candidate-${i}.mjs`);
  await build({
    ...bundleOptions,
    ...options,
    entryPoints: [path.join(repoRoot, 'functions/handlers/ingest-email.ts')],
    bundle: true,
    outfile,
    logLevel: 'silent',
  });
  for (const command of besideCommands(repoRoot, outfile)) await exec('sh', ['-c', command]);
  return outfile;
}

/** Bytes of everything the function's asset holds but its source map: the bundle and what it reads beside it. */
async function assetBytes(bundle: string): Promise<number> {
  const files = await readdir(path.dirname(bundle), { recursive: true, withFileTypes: true });
  let bytes = 0;
  for (const file of files) {
    if (file.isFile() && !file.name.endsWith('.map'))
      bytes += (await stat(path.join(file.parentPath, file.name))).size;
  }
  return bytes;
}

/**
 * Loads of each bundle and of its SDK-only one, alternated, whose medians are compared: a load is a
 * fresh process, and on a shared machine single loads vary by half (7 rounds printed ratios from
 * 1.44 to 1.69 for the same ingest bundle within a minute).
 */
const loadRounds = 15;
const candidateRounds = 9;

/** Milliseconds a fresh node process spends importing the module (module scope included). */
async function loadTime(file: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});console.log(performance.now()-t)`;
  const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...handlerEnv },
  });
  return Number(stdout.trim());
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'givefirst-bundle-'));
  try {
    const bundles = await cdkBundles();
    for (const handler of handlers) {
      const bundle = bundles.get(handler.name) as string;
      const sdkOnly = await sdkOnlyBundle(directory, handler.name, handler.sdk);
      const [size, sdkSize] = [(await stat(bundle)).size, (await stat(sdkOnly)).size];
      const asset = await assetBytes(bundle);
      const text = await readFile(bundle, 'utf8');
      const sdkImported = /from\s*["']@aws-sdk\//.test(text);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < loadRounds; i++) {
        a.push(await loadTime(bundle));
        b.push(await loadTime(sdkOnly));
      }
      report(
        `${handler.name} bundle as CDK builds it`,
        {
          KB: size / 1024,
          ...(asset > size ? { asset_KB: asset / 1024 } : {}),
          sdk_only_KB: sdkSize / 1024,
          aws_sdk_bundled: sdkImported ? 'no' : 'yes',
          load_ms: median(a),
          sdk_only_load_ms: median(b),
          ratio: median(a) / median(b),
        },
        handler.target,
      );
    }
    const ingestSdk = handlers[0].sdk;
    const sdkOnly = await sdkOnlyBundle(directory, 'ingest-candidates', ingestSdk);
    const cacheDir = path.join(repoRoot, 'node_modules', '.cache');
    await mkdir(cacheDir, { recursive: true });
    const inRepo = await mkdtemp(path.join(cacheDir, 'givefirst-bundle-'));
    try {
      for (const [i, candidate] of candidates.entries()) {
        const bundle = await candidateBundle(inRepo, candidate.options, i);
        const a: number[] = [];
        const b: number[] = [];
        for (let k = 0; k < candidateRounds; k++) {
          a.push(await loadTime(bundle));
          b.push(await loadTime(sdkOnly));
        }
        report(`  ingest bundle: ${candidate.name}${candidate.chosen ? ' (chosen)' : ''}`, {
          KB: (await stat(bundle)).size / 1024,
          load_ms: median(a),
          sdk_only_load_ms: median(b),
          ratio: median(a) / median(b),
        });
      }
      await parserLoads(inRepo);
    } finally {
      await rm(inRepo, { recursive: true, force: true });
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
