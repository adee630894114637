import { ConfigError } from '@weaver/errors';
import { loadConfig } from '@weaver/config';
import { publisherConfigSchema } from './publisher.config';

const base = { DATABASE_URL: 'postgres://weaver_app:pw@127.0.0.1:5432/weaver', CAPABILITY_TOKEN_SECRET: 's'.repeat(32) };

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
  });

  it('names each bad variable and its rule', () => {
    expect(fieldsOf({ ...base, CAPABILITY_TOKEN_SECRET: 'short', DATABASE_URL: 'mysql://x/y' })).toEqual([
      'DATABASE_URL: must be a postgres://user:password@host:port/database URL',
      'CAPABILITY_TOKEN_SECRET: must be at least 32 characters',
    ]);
    expect(fieldsOf({ ...base, RESULT_STORE: 's3', S3_ACCESS_KEY_ID: 'only-one' })).toEqual([
      'S3_SECRET_ACCESS_KEY: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither',
    ]);
  });
});
