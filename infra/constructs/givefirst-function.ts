import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fromRepoRoot, repoRoot } from '../repo-paths.ts';

/**
 * The bundle is ESM, but some dependencies (mailparser and its helpers) are CommonJS and call
 * `require` for Node built-ins; ESM has no `require`, so the bundle defines one first.
 */
const defineRequireBanner =
  "import { createRequire as __givefirstCreateRequire } from 'node:module'; " +
  'const require = __givefirstCreateRequire(import.meta.url);';

/**
 * iconv-lite's tables for the Chinese, Japanese and Korean double-byte charsets (about 0.4 MB of
 * the ingest bundle as JavaScript) are `require`d from `./tables/` when a codec is first made. They
 * are left out of the bundle and copied beside it as JSON: a cold start no longer parses them as
 * code, reads a charset's tables only when a mail in it is first decoded (libmime's GBK decoder is
 * built without them: functions/adapters/mail/lazy-double-byte-tables.ts), and a mail in GBK or
 * Shift_JIS decodes as before.
 */
const iconvTables = './tables/*.json';

/**
 * Dependencies that a plain logged message never needs, each bundled into its own file beside the
 * function's (`beside/<name>.cjs`) and loaded on first use: the package is replaced in the bundle
 * by a module of the same shape that loads that file (functions/adapters/beside/). A cold start
 * neither reads nor compiles them. By the package, the entry the file is built from.
 */
export const besideModules = {
  // mailparser's HTML to text (htmlparser2, entities, selderee): only for mail without a text part.
  'html-to-text': 'html-to-text',
  // libmime's decoder of the Japanese charsets iconv-lite does not know (ISO-2022-JP and kin).
  'encoding-japanese': 'encoding-japanese',
  // The public suffix list: only for a DKIM signer when DMARC did not pass for the From domain.
  tldts: 'tldts',
  // nodemailer's MIME composer: only for answers with files attached (an export).
  'nodemailer/lib/mail-composer': 'nodemailer/lib/mail-composer',
  // chrono-node's date parsers, four locales: only for a date luxon's one format did not read.
  'chrono-node': './functions/adapters/beside/chrono-locales.ts',
} as const;

const besideName = (pkg: string) => pkg.split('/').at(-1) as string;

function besideAliases(): Record<string, string> {
  return Object.fromEntries(
    Object.keys(besideModules).map((pkg) => [
      pkg,
      `./functions/adapters/beside/${besideName(pkg)}.ts`,
    ]),
  );
}

/**
 * Module swaps, resolved from the repository root. mailparser imports libmime as ESM while
 * mailsplit `require`s it: without the first, both builds of libmime (and their 69 KB of MIME type
 * tables) are in the bundle; one CommonJS copy serves both. The second gives the SDK clients the
 * environment's credentials, where Lambda puts them, instead of the whole default chain
 * (functions/adapters/lambda-credentials.ts says why that changes nothing on Lambda). The third
 * replaces `he`, of which mailparser calls only `encode` (for HTML forms of addresses givefirst
 * never reads), by that one function: its tables of named entities are ~70 KB of the bundle.
 */
export const bundleAliases = {
  libmime: './node_modules/libmime/dist/cjs/libmime.js',
  '@aws-sdk/credential-provider-node': './functions/adapters/lambda-credentials.ts',
  he: './functions/adapters/mail/he-encode.ts',
  // mailparser's linkifier, used only to make HTML from text, which givefirst never asks for, and
  // the list of top-level domains mailparser hands it.
  'linkify-it': './functions/adapters/mail/linkify-unused.ts',
  tlds: './functions/adapters/mail/linkify-unused.ts',
  ...besideAliases(),
};

/**
 * The shell commands that build, beside a bundle, each module it loads from there (a bundle that
 * never names one does without it), and copy iconv-lite's tables it reads. Run by CDK after
 * bundling, and by the bundle bench after its own builds.
 */
export function besideCommands(inputDir: string, bundle: string): string[] {
  const outputDir = bundle.slice(0, bundle.lastIndexOf('/'));
  const esbuild = `"${inputDir}/node_modules/.bin/esbuild"`;
  return [
    `if grep -q '"./tables/' "${bundle}"; then cp -R "${inputDir}/node_modules/iconv-lite/encodings/tables" "${outputDir}/tables"; fi`,
    ...Object.entries(besideModules).map(([pkg, entry]) => {
      const file = `beside/${besideName(pkg)}.cjs`;
      const args = [
        '--bundle',
        '--format=cjs',
        '--platform=node',
        `--target=${bundleOptions.target}`,
        `--main-fields=${bundleOptions.mainFields.join(',')}`,
        `--charset=${bundleOptions.charset}`,
        '--minify',
        '--log-level=warning',
        `--outfile="${outputDir}/${file}"`,
      ];
      return `if grep -q '${file}' "${bundle}"; then (cd "${inputDir}" && ${esbuild} ${entry} ${args.join(' ')}); fi`;
    }),
  ];
}

/**
 * How every function is bundled, in esbuild's terms: the construct below hands these to esbuild
 * through CDK, and `npm run bench -- bundle` builds with the very same object, so what it measures
 * is what is deployed.
 */
export const bundleOptions = {
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  banner: { js: defineRequireBanner },
  alias: bundleAliases,
  // Text as written, not \u-escaped: the charset tables and phrase lists are ~70 KB smaller.
  charset: 'utf8' as const,
  external: [iconvTables, './beside/*.cjs'],
};

/** How long every function's logs are kept: long enough to look into last month's mail. */
export const logRetention = RetentionDays.ONE_MONTH;

export interface GivefirstFunctionProps
  extends Omit<
    NodejsFunctionProps,
    'entry' | 'runtime' | 'architecture' | 'bundling' | 'logGroup' | 'memorySize' | 'timeout'
  > {
  /** The handler module, relative to the repository root, e.g. `functions/handlers/ingest-email.ts`. */
  readonly handlerFile: string;
  /** Memory in MB, chosen per function: docs/deploy.md, "Why memory is where it is". */
  readonly memorySize: number;
  readonly timeout: Duration;
}

/**
 * A givefirst Lambda function, its defaults set once: Node.js 22 on arm64, bundled offline by the
 * local esbuild into one minified ESM file with source maps (with, beside it, the modules it loads
 * only when needed: `besideModules`), and its own log group with a
 * retention.
 *
 * The AWS SDK v3 is bundled, not taken from the runtime: the function then runs the exact SDK
 * version the tests ran (package-lock.json), a runtime SDK update cannot change behaviour under
 * it, and esbuild keeps only the clients and commands used. The cost is a bigger file.
 */
export class GivefirstFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: GivefirstFunctionProps) {
    const { handlerFile, ...functionProps } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      ...functionProps,
      // Stack traces point at the TypeScript sources (costs ~15 ms of module load, measured locally).
      environment: { NODE_OPTIONS: '--enable-source-maps', ...functionProps.environment },
      entry: fromRepoRoot(handlerFile),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: fromRepoRoot('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      logGroup,
      bundling: {
        format: { esm: OutputFormat.ESM }[bundleOptions.format],
        target: bundleOptions.target,
        mainFields: bundleOptions.mainFields,
        banner: bundleOptions.banner.js,
        bundleAwsSDK: true,
        externalModules: bundleOptions.external,
        esbuildArgs: {
          ...Object.fromEntries(
            Object.entries(bundleOptions.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
          '--charset': bundleOptions.charset,
        },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            besideCommands(inputDir, `${outputDir}/index.mjs`),
        },
        minify: bundleOptions.minify,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        forceDockerBundling: false,
      },
    });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'AWSLambdaBasicExecutionRole only lets the function write its own logs; every other grant is inline and scoped.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is the runtime the bundle targets and the tests run; a newer one is adopted deliberately, not by a linter.',
      },
    );
  }
}
