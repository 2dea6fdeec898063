import { S3Client } from '@aws-sdk/client-s3';
import { makeDocumentClient } from './dynamodb/client.ts';

/** The SDK clients a function uses, made once per container at module scope. */
export function makeAwsClients(region: string) {
  return {
    dynamo: makeDocumentClient({ region }),
    s3: new S3Client({ region }),
  };
}
