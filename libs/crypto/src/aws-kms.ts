import { DecryptCommand, EncryptCommand, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { KmsError } from './crypto.errors';
import { encryptionContextOf, type Kms, type WrappedKey } from './kms';
import type { KeyScope } from './key-scope';

export interface AwsKmsOptions {
  /** The KEK: a key id, ARN or alias ("alias/weaver"). */
  readonly keyId: string;
  /** Region, endpoint (for a KMS-compatible server), credentials: passed to the SDK client. */
  readonly client?: KMSClientConfig;
}

/** Errors the SDK marks as throttling or transient are worth a retry; the rest are refusals. */
const retriable = (error: unknown): boolean => {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string };
  return Boolean(e.$retryable) || (e.$metadata?.httpStatusCode ?? 0) >= 500 || e.name === 'TimeoutError' || (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
};

/**
 * AWS KMS as the KEK holder, through the official SDK: Encrypt/Decrypt of the 32-byte data key
 * (KMS never sees data), the scope bound as EncryptionContext. One call per data-key miss;
 * the DataKeyCache keeps unwrapped keys, so steady-state steps never reach KMS.
 */
export class AwsKms implements Kms {
  private readonly client: KMSClient;

  constructor(private readonly opts: AwsKmsOptions) {
    this.client = new KMSClient(opts.client ?? {});
  }

  get currentKeyId(): string {
    return this.opts.keyId;
  }

  async wrap(dataKey: Buffer, scope: KeyScope): Promise<WrappedKey> {
    try {
      const out = await this.client.send(new EncryptCommand({ KeyId: this.opts.keyId, Plaintext: dataKey, EncryptionContext: encryptionContextOf(scope) }));
      if (!out.CiphertextBlob) throw new Error('KMS Encrypt returned no CiphertextBlob');
      return { wrapped: Buffer.from(out.CiphertextBlob), kmsKeyId: out.KeyId ?? this.opts.keyId };
    } catch (error) {
      throw new KmsError(`KMS Encrypt with ${this.opts.keyId} failed: ${(error as Error).message}`, { cause: error, retriable: retriable(error) });
    }
  }

  async unwrap(key: WrappedKey, scope: KeyScope): Promise<Buffer> {
    try {
      const out = await this.client.send(new DecryptCommand({ KeyId: key.kmsKeyId, CiphertextBlob: key.wrapped, EncryptionContext: encryptionContextOf(scope) }));
      if (!out.Plaintext) throw new Error('KMS Decrypt returned no Plaintext');
      return Buffer.from(out.Plaintext);
    } catch (error) {
      throw new KmsError(`KMS Decrypt with ${key.kmsKeyId} failed for tenant ${scope.tenantId}: ${(error as Error).message}`, { cause: error, retriable: retriable(error) });
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
