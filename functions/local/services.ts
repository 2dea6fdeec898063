import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DNSResolver } from 'mailauth';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoOnboardingStore } from '#adapters/dynamodb/onboarding-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import type { ComputeVerdicts } from '#adapters/mail/mailauth-verdicts.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { FsRawMailStore } from '#adapters/raw-mail/fs-raw-mail-store.ts';
import type {
  Clock,
  JudgeAgain,
  Logger,
  OnboardingStore,
  RawMailStore,
  SteeringStore,
} from '#domain/ports.ts';
import type { HandleReply } from '#use-cases/handle-reply.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import type { Welcome } from '#use-cases/join.ts';
import { makeListThreads } from '#use-cases/list-threads.ts';
import { makeManageUser } from '#use-cases/manage-user.ts';
import type { NoteUnknownTags } from '#use-cases/note-unknown-tags.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';

/** The use cases the operator works with, wired to a store and a raw-mail store (local or AWS). */
export function makeServices<Raw extends RawMailStore>(options: {
  store: DynamoStore;
  steering: SteeringStore;
  onboarding: OnboardingStore;
  rawMail: Raw;
  mailDomain: string;
  clock: Clock;
  logger: Logger;
  /** Sender checks run again for a redrive of mail whose checks could not run (ingest-email.ts). */
  judgeAgain?: JudgeAgain;
}) {
  const { store, steering, onboarding, rawMail } = options;
  /** The ingest use case; the running stack adds reply commands and joining, which need a mailer. */
  const makeIngest = (answers?: {
    handleReply: HandleReply;
    noteUnknownTags: NoteUnknownTags;
    welcome: Welcome;
  }) =>
    makeIngestEmail({
      store,
      rawMail,
      parseMail,
      mailDomain: options.mailDomain,
      logger: options.logger,
      ...(options.judgeAgain ? { judgeAgain: options.judgeAgain } : {}),
      ...answers,
    });
  const ingest = makeIngest();
  const registerUser = makeRegisterUser({ users: store, clock: options.clock, digests: store });
  const listThreads = makeListThreads({ store, steering, clock: options.clock });
  const relationships = makeRelationships({ store, steering, clock: options.clock });
  const manageUser = makeManageUser({ digests: store, steering, clock: options.clock });
  return {
    store,
    steering,
    onboarding,
    rawMail,
    ingest,
    makeIngest,
    registerUser,
    listThreads,
    relationships,
    manageUser,
  };
}

/** The services over any raw-mail store; the local stack's keeps the files' own methods (expiry). */
export type Services<Raw extends RawMailStore = RawMailStore> = ReturnType<
  typeof makeServices<Raw>
>;

/** The store, the steering store and the onboarding store on one table. */
export function openStores(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
}) {
  return {
    store: new DynamoStore(options),
    steering: new DynamoSteeringStore(options),
    onboarding: new DynamoOnboardingStore(options),
  };
}

/**
 * mailauth's DKIM and DMARC checks on a message's raw mail, without the SMTP client (so no SPF):
 * for `givefirst ingest` of files, and for a redrive of mail whose checks could not run
 * (`judgeAgain`). mailauth is loaded by the first check, as most commands never make one.
 * `resolver` is the system's DNS unless given.
 */
export function mailauthChecks(mailDomain: string, resolver?: DNSResolver): JudgeAgain {
  let checks: Promise<ComputeVerdicts> | undefined;
  return async (raw) => {
    checks ??= import('#adapters/mail/mailauth-verdicts.ts').then(({ makeMailauthVerdicts }) =>
      makeMailauthVerdicts({ mta: mailDomain, ...(resolver ? { resolver } : {}) }),
    );
    return (await checks)(raw, {});
  };
}

/** The use cases wired to local adapters: shared by the local stack, the CLI and the tests. */
export function makeLocalServices(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  dataDir: string;
  mailDomain: string;
  clock: Clock;
  logger: Logger;
  /** The DNS the checks run again for a redrive ask (tests give their own). */
  resolver?: DNSResolver;
}): LocalServices {
  return makeServices({
    ...openStores(options),
    rawMail: new FsRawMailStore(path.join(options.dataDir, 'raw-mail')),
    mailDomain: options.mailDomain,
    clock: options.clock,
    logger: options.logger,
    judgeAgain: mailauthChecks(options.mailDomain, options.resolver),
  });
}

export type LocalServices = Services<FsRawMailStore>;
