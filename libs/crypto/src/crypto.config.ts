import type { DataSource } from 'typeorm';
import { z } from '@weaver/config';
import { ConfigError } from '@weaver/errors';
import { AwsKms } from './aws-kms';
import { DataKeyCache } from './data-key-cache';
import { DataKeyStore } from './data-key-store';
import type { Kms } from './kms';
import { LocalKms } from './local-kms';
import { EnvelopeCipher, PLAINTEXT, type PayloadCipher } from './payload-cipher';

/**
 * The encryption settings every service that stores or produces tenant data merges into its
 * config schema. Defaults are the development setup: encryption on, a local keyring file made
 * on first use. Production sets WEAVER_KMS=aws and WEAVER_KMS_KEY_ID.
 */
export const cryptoConfigSchema = z.object({
  WEAVER_ENCRYPTION: z.enum(['on', 'off']).default('on'),
  WEAVER_KMS: z.enum(['local', 'aws']).default('local'),
  WEAVER_KMS_KEYRING_FILE: z.string().min(1).default('.weaver/keys/keyring.json'),
  WEAVER_KMS_KEY_ID: z.string().min(1).optional(),
  WEAVER_KMS_ENDPOINT: z.string().url().optional(),
  WEAVER_KMS_REGION: z.string().min(1).default('us-east-1'),
  WEAVER_DEK_CACHE_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
});
export type CryptoConfig = z.infer<typeof cryptoConfigSchema>;

export function kmsFromConfig(config: CryptoConfig): Kms {
  if (config.WEAVER_KMS === 'local') return LocalKms.open(config.WEAVER_KMS_KEYRING_FILE);
  if (!config.WEAVER_KMS_KEY_ID) throw new ConfigError('environment', [{ field: 'WEAVER_KMS_KEY_ID', rule: 'is required when WEAVER_KMS=aws' }]);
  return new AwsKms({ keyId: config.WEAVER_KMS_KEY_ID, client: { region: config.WEAVER_KMS_REGION, ...(config.WEAVER_KMS_ENDPOINT ? { endpoint: config.WEAVER_KMS_ENDPOINT } : {}) } });
}

/** The cipher a service hands to its stores and event layer; PLAINTEXT when WEAVER_ENCRYPTION=off. */
export function payloadCipherFromConfig(ds: DataSource, config: CryptoConfig): PayloadCipher {
  if (config.WEAVER_ENCRYPTION === 'off') return PLAINTEXT;
  return new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), kmsFromConfig(config), { ttlMs: config.WEAVER_DEK_CACHE_TTL_MS }));
}
