import { ConfigError } from '@weaver/errors';
import { loadConfig } from '@weaver/config';
import { generateCapabilityKey } from '@weaver/publisher-core';
import { publisherConfigSchema } from './publisher.config';

const key = generateCapabilityKey('k1');
const base = {
  DATABASE_URL: 'postgres://weaver_app:pw@127.0.0.1:5432/weaver',
  CAPABILITY_SIGNING_KEY: JSON.stringify(key.signing),
  CAPABILITY_VERIFY_KEYS: JSON.stringify({ keys: [key.public] }),
  TENANCY_URL: '127.0.0.1:50055',
};

const fieldsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(publisherConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.violations.map((v) => `${v.field}: ${v.rule}`);
    throw error;
  }
  return [];
};

describe('publisher config', () => {
  it('defaults to the filesystem store on the publisher ports', () => {
    const config = loadConfig(publisherConfigSchema, base);
    expect(config).toMatchObject({ HTTP_PORT: 8084, GRPC_PORT: 50054, RESULT_STORE: 'filesystem', CAPABILITY_TOKEN_TTL_SECONDS: 604800 });
    expect(config.CAPABILITY_TOKEN_AUDIENCE).toEqual(['weaver:publisher.GetResult', 'weaver:gateway.result']);
    expect(config.QUOTA_CACHE_TTL_MS).toBe(5_000);
  });

  it('needs tenancy (the stored_bytes quota comes from GetQuotas)', () => {
    const { TENANCY_URL: _, ...without } = base;
    expect(fieldsOf(without)).toEqual(['TENANCY_URL: Invalid input: expected string, received undefined']);
    expect(fieldsOf({ ...base, TENANCY_URL: 'tenancy' })).toEqual(['TENANCY_URL: must be host:port']);
  });

  it('names each bad variable and its rule', () => {
    expect(fieldsOf({ ...base, CAPABILITY_SIGNING_KEY: JSON.stringify(key.public), DATABASE_URL: 'mysql://x/y' })).toEqual([
      'DATABASE_URL: must be a postgres://user:password@host:port/database URL',
      'CAPABILITY_SIGNING_KEY.d: must be a 32-byte base64url private key (a private JWK has "d")',
    ]);
    const other = generateCapabilityKey('k2');
    expect(fieldsOf({ ...base, CAPABILITY_VERIFY_KEYS: JSON.stringify({ keys: [other.public] }) })).toEqual([
      "CAPABILITY_VERIFY_KEYS: must contain the signing key's public key (same kid and x), or the publisher's own tokens would not verify",
    ]);
    expect(fieldsOf({ ...base, RESULT_STORE: 's3', S3_ACCESS_KEY_ID: 'only-one' })).toEqual([
      'S3_SECRET_ACCESS_KEY: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither',
    ]);
  });
});
