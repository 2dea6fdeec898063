import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { makeDocumentClient } from './dynamodb/client.ts';

// The SDK clients a function uses, made once per container at module scope. One factory a path,
// so each function's bundle carries only the clients it calls.

/** The inbound path (ingest-email): the table, the raw-mail bucket, and SES v2 to answer replies. */
export function makeAwsClients(region: string) {
  return {
    dynamo: makeDocumentClient({ region }),
    s3: new S3Client({ region }),
    ses: new SESv2Client({ region }),
  };
}

/** The digest path (schedule-digests): the table and SES v2 to send. */
export function makeDigestClients(region: string) {
  return {
    dynamo: makeDocumentClient({ region }),
    ses: new SESv2Client({ region }),
  };
}
