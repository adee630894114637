import type { KeyScope } from './key-scope';

/** A data key wrapped (encrypted) by a key-encryption key, and which KEK did it. */
export interface WrappedKey {
  readonly wrapped: Buffer;
  readonly kmsKeyId: string;
}

/**
 * The key-encryption key, behind whatever holds it: a local keyring file for development,
 * AWS KMS in production. Only data keys pass through it, never data; the scope is bound as
 * the encryption context, so a wrapped key of one tenant cannot be unwrapped as another's.
 */
export interface Kms {
  /** The KEK new data keys are wrapped with (what `wrap` records as kmsKeyId). */
  readonly currentKeyId: string;
  wrap(dataKey: Buffer, scope: KeyScope): Promise<WrappedKey>;
  unwrap(key: WrappedKey, scope: KeyScope): Promise<Buffer>;
}

/** The encryption context both implementations bind: tenant and subject ('' for tenant-wide). */
export const encryptionContextOf = (scope: KeyScope): Record<string, string> => ({ 'weaver:tenant': scope.tenantId, 'weaver:subject': scope.subject ?? '' });
