import { createHash } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { NotFoundError, UnavailableError, ValidationError, WeaverError } from '@weaver/errors';

import type { ResultStore } from './result-store';

export interface S3ResultStoreSettings {
  /** Omit for AWS itself; e.g. http://127.0.0.1:9000 for an S3-compatible server. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Omit to use the SDK's default credential chain (environment, instance role, ...). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const statusOf = (error: unknown): number | undefined => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);

/** S3 (or an S3-compatible server) as a result store: one object per result, path-style URLs. */
export class S3ResultStore implements ResultStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3ResultStoreSettings) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(settings.bucket)) {
      throw new ValidationError([{ field: 'bucket', rule: 'must be a valid S3 bucket name (3-63 of a-z 0-9 . -)' }]);
    }
    this.bucket = settings.bucket;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: settings.credentials,
      // Path-style works with every S3-compatible server and needs no wildcard DNS.
      forcePathStyle: true,
      // Newer SDKs add CRC checksums (and aws-chunked bodies) by default, which not every
      // S3-compatible server accepts; we send Content-MD5-free plain PUTs and check sha256 ourselves.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  /** Creates the bucket if it does not exist (for local and test servers; production pre-creates it). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (statusOf(error) !== 404) throw this.failure('head bucket', error);
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((createError: unknown) => {
        if (statusOf(createError) !== 409) throw this.failure('create bucket', createError); // 409: a racing creator won
      });
    }
  }

  async write(objectKey: string, data: Buffer, contentType: string): Promise<void> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: data, ContentType: contentType, ContentLength: data.length, Metadata: { sha256 } }),
      );
    } catch (error) {
      throw this.failure(`put ${objectKey}`, error);
    }
  }

  async delete(objectKey: string): Promise<void> {
    try {
      // S3 answers 204 for a key that is not there: deleting twice is fine.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (error) {
      throw this.failure(`delete ${objectKey}`, error);
    }
  }

  async read(objectKey: string): Promise<Buffer> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (res.Body === undefined) throw new NotFoundError('result object', objectKey);
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof WeaverError) throw error;
      if (statusOf(error) === 404) throw new NotFoundError('result object', objectKey);
      throw this.failure(`get ${objectKey}`, error);
    }
  }

  async check(): Promise<boolean> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    return true;
  }

  destroy(): void {
    this.client.destroy();
  }

  /** Server errors and network failures are worth a retry; 4xx (bad credentials, ...) are not. */
  private failure(action: string, error: unknown): WeaverError {
    const status = statusOf(error);
    const message = `S3 ${action} in bucket ${this.bucket} failed: ${error instanceof Error ? error.message : String(error)}`;
    if (status !== undefined && status < 500) return new WeaverError('INTERNAL', message, { cause: error, retriable: false, details: { status } });
    return new UnavailableError(message, { cause: error });
  }
}
