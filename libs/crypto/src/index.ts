/**
 * @weaver/crypto — per-tenant envelope encryption.
 *
 * Data is sealed with AES-256-GCM under a data key (DEK) per tenant, or per data subject within
 * a tenant (`KeyScope`); DEKs are wrapped by a key-encryption key behind `Kms` (`LocalKms`: a
 * keyring file for development; `AwsKms`: AWS KMS through the official SDK) and stored wrapped
 * in `keys.data_keys` (`KEYS_SCHEMA`, `KEYS_MIGRATIONS`). `EnvelopeCipher` (a `PayloadCipher`)
 * is what stores and the event layer call; `DataKeyCache` keeps unwrapped DEKs in memory so
 * the steady state costs no round trip. Ciphertexts are self-describing (ciphertext-format.ts),
 * bound to tenant and purpose by the AAD, and deflated first when large. Rotation, KEK re-wrap
 * and crypto-shredding are in key-admin.ts (tenancy's operations).
 */
import { CreateDataKeys1733000000000 } from './migrations/1733000000000-create-data-keys';

export * from './crypto.errors';
export * from './key-scope';
export * from './ciphertext-format';
export * from './aead';
export * from './kms';
export * from './local-kms';
export * from './aws-kms';
export * from './data-key-state';
export * from './data-key-store';
export * from './data-key-cache';
export * from './payload-cipher';
export * from './key-admin';
export * from './crypto.config';

export const KEYS_SCHEMA = 'keys';
export const KEYS_MIGRATIONS = [CreateDataKeys1733000000000];
