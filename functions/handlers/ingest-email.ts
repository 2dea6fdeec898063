// (primary adapter: SES receipt event) --> ingest email (--> handle reply) --> (DynamoDB, S3, SES)
import type { SESEvent } from 'aws-lambda';
import { makeAwsClients } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readFunctionConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { DynamoSteeringStore } from '#adapters/dynamodb/steering-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { S3RawMailStore } from '#adapters/raw-mail/s3-raw-mail-store.ts';
import { envelopeFromSesRecord } from '#adapters/ses/ses-event.ts';
import { makeSesMailer } from '#adapters/ses/ses-mailer.ts';
import type { Outcome } from '#domain/model.ts';
import { makeTokens } from '#domain/reply-token.ts';
import { confirmationsPerHour, makeHandleReply } from '#use-cases/handle-reply.ts';
import { makeRelationships } from '#use-cases/help-first.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';
import { makeNoteUnknownTags } from '#use-cases/note-unknown-tags.ts';

const config = readFunctionConfig(process.env);
const clients = makeAwsClients(config.region);
const clock = makeClock('system');
const logger = makeLogger({ fn: 'ingest-email' });
const store = new DynamoStore({ client: clients.dynamo, tableName: config.tableName, clock });
const steering = new DynamoSteeringStore({
  client: clients.dynamo,
  tableName: config.tableName,
  clock,
});
const tokens = makeTokens(config.replyTokenKeys);
const mailer = makeSesMailer({ ses: clients.ses, logger });
const answers = { steering, tokens, mailer, clock, logger, mailDomain: config.mailDomain };
const ingest = makeIngestEmail({
  store,
  rawMail: new S3RawMailStore(clients.s3, config.rawMailBucket),
  parseMail,
  mailDomain: config.mailDomain,
  logger,
  handleReply: makeHandleReply({
    ...answers,
    users: store,
    digests: store,
    relationships: makeRelationships({ store, steering, clock }),
  }),
  noteUnknownTags: makeNoteUnknownTags({ ...answers, perHour: confirmationsPerHour }),
});

/** Invoked asynchronously by the SES receipt rule after its S3 action stored the raw MIME. */
export async function handler(event: SESEvent): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const record of event.Records) {
    outcomes.push(await ingest(envelopeFromSesRecord(record, config.rawMailPrefix)));
  }
  return outcomes;
}
