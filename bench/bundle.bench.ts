// The ingest handler bundle as CDK builds it: its size, whether the AWS SDK is inside, and how long
// a fresh Node process takes to load it, against a bundle of only the SDK clients it uses.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { buildApp } from '../infra/build-app.ts';
import { repoRoot } from '../infra/repo-paths.ts';
import { median, report } from './measure.ts';

const exec = promisify(execFile);

/** Synthesises the app and returns the path of the ingest function's bundled index.mjs. */
async function cdkBundle(): Promise<string> {
  const { app } = buildApp({
    mailDomain: 'in.example.org',
    publicUrl: 'https://givefirst.example.org',
    'aws:cdk:enable-asset-metadata': true,
  });
  const assembly = app.synth();
  const stack = assembly.getStackByName('GivefirstStateless');
  const resources = stack.template.Resources as Record<
    string,
    { Type: string; Metadata?: Record<string, string> }
  >;
  const fn = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('IngestEmail'),
  );
  const assetPath = fn?.[1].Metadata?.['aws:asset:path'];
  if (!assetPath) throw new Error('ingest function asset not found in the synthesised template');
  return path.join(assembly.directory, assetPath, 'index.mjs');
}

/** The same esbuild settings as the function construct, for an entry that only makes the SDK clients. */
async function sdkOnlyBundle(directory: string): Promise<string> {
  const outfile = path.join(directory, 'sdk-only.mjs');
  await build({
    stdin: {
      contents: [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';",
        "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';",
        "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
        'const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
        'const s3 = new S3Client({});',
        'const ses = new SESv2Client({});',
        'export const handler = async () => [dynamo, s3, ses, GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, GetObjectCommand, SendEmailCommand];',
      ].join('\n'),
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Milliseconds a fresh node process spends importing the module (module scope included). */
async function loadTime(file: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});console.log(performance.now()-t)`;
  const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      TABLE_NAME: 't',
      RAW_MAIL_BUCKET: 'b',
      RAW_MAIL_PREFIX: 'inbound/',
      MAIL_DOMAIN: 'in.example.com',
      REPLY_TOKEN_KEYS: JSON.stringify({ signWith: 1, keys: { 1: 'a'.repeat(44) } }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return Number(stdout.trim());
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'givefirst-bundle-'));
  try {
    const handler = await cdkBundle();
    const sdkOnly = await sdkOnlyBundle(directory);
    const [handlerSize, sdkSize] = [(await stat(handler)).size, (await stat(sdkOnly)).size];
    const text = await readFile(handler, 'utf8');
    const sdkInside = text.includes('DynamoDBClient') && text.includes('S3Client');
    report(
      'ingest bundle as CDK builds it',
      {
        bytes: handlerSize,
        MB: handlerSize / 1024 / 1024,
        aws_sdk_bundled: sdkInside ? 'yes' : 'no',
        sdk_only_bytes: sdkSize,
      },
      '< 2.5 MB',
    );
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 12; i++) {
      a.push(await loadTime(handler));
      b.push(await loadTime(sdkOnly));
    }
    report('cold load in a fresh node process', {
      handler_ms: median(a),
      sdk_only_ms: median(b),
      ratio: median(a) / median(b),
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
