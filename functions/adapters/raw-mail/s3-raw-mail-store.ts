import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { RawMailGoneError } from '#domain/errors.ts';
import type { RawMailStore } from '#domain/ports.ts';

/** Raw mail in the S3 bucket SES writes to. Objects are streamed, never read whole. */
export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, raw: Readable | Buffer): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: raw }));
  }

  async open(key: string): Promise<Readable> {
    const object = await this.s3
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((error: unknown) => {
        throw error instanceof NoSuchKey ? new RawMailGoneError(key, { cause: error }) : error;
      });
    if (!object.Body) throw new Error(`raw mail ${key} has no body`);
    return object.Body as Readable;
  }

  /** S3 answers a delete of a missing key with success: a deletion run again is harmless. */
  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
