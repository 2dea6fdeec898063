// (primary adapter: SES receipt event) --> ingest email (--> handle reply, join) --> (DynamoDB, S3, SES)
import type { SESEvent } from 'aws-lambda';
import { makeDocumentClient, makeS3Client, makeSesClient } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readFunctionConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoOnboardingStore } from '#adapters/dynamodb/onboarding-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { S3RawMailStore } from '#adapters/raw-mail/s3-raw-mail-store.ts';
import {
  replyTokenKeysOf,
  replyTokensPerInvocation,
} from '#adapters/secrets/secret-reply-tokens.ts';
import { composeRaw } from '#adapters/ses/compose-raw.ts';
import { envelopeFromSesRecord } from '#adapters/ses/ses-event.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Outcome } from '#domain/model.ts';
import { makeAccountCommands } from '#use-cases/account-commands.ts';
import { confirmationsPerHour, makeHandleReply } from '#use-cases/handle-reply.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeJoin } from '#use-cases/join.ts';
import { makeNoteUnknownTags } from '#use-cases/note-unknown-tags.ts';
import { makeRegisterUser } from '#use-cases/register-user.ts';

const config = readFunctionConfig(process.env);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'ingest-email' });
const dynamo = makeDocumentClient({ region: config.region });
const store = new DynamoStore({ client: dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({ client: dynamo, tableName: config.tableName, clock });
const relationships = makeRelationships({ store, steering, clock });
const replyTokens = replyTokensPerInvocation(replyTokenKeysOf(config, clock));
const answers = {
  steering,
  tokens: replyTokens.tokens,
  mailer: makeSesMailer({
    ses: makeSesClient({ region: config.region }),
    configurationSet: config.configurationSet,
    composeRaw,
  }),
  clock,
  logger,
  mailDomain: config.mailDomain,
  fromAddress: config.fromAddress,
};
const join = makeJoin({
  ...answers,
  onboarding: new DynamoOnboardingStore({ client: dynamo, tableName: config.tableName, clock }),
  users: store,
  registerUser: makeRegisterUser({ users: store, clock, digests: store }),
});
const rawMail = new S3RawMailStore(makeS3Client({ region: config.region }), config.rawMailBucket);
const ingest = makeIngestEmail({
  store,
  rawMail,
  parseMail,
  mailDomain: config.mailDomain,
  logger,
  handleReply: join.replies(
    makeHandleReply({
      ...answers,
      users: store,
      digests: store,
      relationships,
      account: makeAccountCommands({ ...answers, store, steering, rawMail, relationships }),
    }),
  ),
  noteUnknownTags: makeNoteUnknownTags({ ...answers, perHour: confirmationsPerHour }),
  welcome: join.welcome,
});

/** Invoked asynchronously by the SES receipt rule after its S3 action stored the raw MIME. */
export async function handler(event: SESEvent): Promise<Outcome[]> {
  // Only replies and notes need the keys: when Secrets Manager cannot be read, logging goes on and
  // a reply fails (its receipt is kept for redrive) instead of every message failing.
  await replyTokens.refresh().catch((error: unknown) => {
    logger.warn('reply-token keys unavailable', {
      failure: error instanceof Error ? error.message : String(error),
    });
  });
  const outcomes: Outcome[] = [];
  for (const record of event.Records) {
    outcomes.push(await ingest(envelopeFromSesRecord(record, config.rawMailPrefix)));
  }
  return outcomes;
}
