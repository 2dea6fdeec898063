// (primary adapter: SES receipt event) --> ingest email --> (DynamoDB, S3)
import type { SESEvent } from 'aws-lambda';
import { makeDocumentClient, makeS3Client } from '#adapters/aws-clients.ts';
import { makeClock } from '#adapters/clock.ts';
import { readFunctionConfig } from '#adapters/config.ts';
import { DynamoStore } from '#adapters/dynamodb/dynamodb-store.ts';
import { makeLogger } from '#adapters/logger.ts';
import { parseMail } from '#adapters/mail/parse-mail.ts';
import { S3RawMailStore } from '#adapters/raw-mail/s3-raw-mail-store.ts';
import { envelopeFromSesRecord } from '#adapters/ses/ses-event.ts';
import type { Outcome } from '#domain/model.ts';
import { makeIngestEmail } from '#use-cases/ingest-email.ts';

const config = readFunctionConfig(process.env);
const clock = makeClock('system');
const ingest = makeIngestEmail({
  store: new DynamoStore({
    client: makeDocumentClient({ region: config.region }),
    tableName: config.tableName,
    clock,
  }),
  rawMail: new S3RawMailStore(makeS3Client({ region: config.region }), config.rawMailBucket),
  parseMail,
  mailDomain: config.mailDomain,
  logger: makeLogger({ fn: 'ingest-email' }),
});

/** Invoked asynchronously by the SES receipt rule after its S3 action stored the raw MIME. */
export async function handler(event: SESEvent): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const record of event.Records) {
    outcomes.push(await ingest(envelopeFromSesRecord(record, config.rawMailPrefix)));
  }
  return outcomes;
}
