import { ConfigError } from '@weaver/errors';
import { loadConfig } from '@weaver/config';
import { describeSecurity, kafkaConfigSchema, kafkaSecurityOf } from './kafka-config';

const load = (env: Record<string, string>) => loadConfig(kafkaConfigSchema, env, 'test');
function violations(env: Record<string, string>): Array<{ field: string; rule: string }> {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).violations;
  }
  throw new Error('expected the config to be refused');
}

describe('Kafka connection config', () => {
  it('defaults to plaintext without SASL (the local broker)', () => {
    const c = load({});
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(kafkaSecurityOf(c)).toEqual({});
    expect(describeSecurity(kafkaSecurityOf(c))).toBe('no SASL, no TLS');
  });

  it('reads SCRAM over TLS with a private CA and a password file', () => {
    const c = load({ KAFKA_BROKERS: 'b1:9093,b2:9093', KAFKA_TLS_CA_FILE: '/etc/kafka/ca.pem', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'gateway', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' });
    expect(kafkaSecurityOf(c)).toEqual({
      tls: { caFile: '/etc/kafka/ca.pem', certFile: undefined, keyFile: undefined, servername: undefined },
      sasl: { mechanism: 'scram-sha-512', username: 'gateway', password: { file: '/run/secrets/kafka' } },
    });
    expect(describeSecurity(kafkaSecurityOf(c))).toBe('SASL SCRAM-SHA-512 as "gateway", TLS');
  });

  it('takes KAFKA_TLS=true alone for a public CA (Confluent Cloud: PLAIN with an API key)', () => {
    const s = kafkaSecurityOf(load({ KAFKA_TLS: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'APIKEY', KAFKA_SASL_PASSWORD: 'secret' }));
    expect(s.tls).toBeDefined();
    expect(s.sasl).toEqual({ mechanism: 'plain', username: 'APIKEY', password: { value: 'secret' } });
  });

  it('reads OAUTHBEARER from a token file or a token endpoint', () => {
    expect(kafkaSecurityOf(load({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTH_TOKEN_FILE: '/var/run/token' })).sasl).toEqual({ mechanism: 'oauthbearer', token: { file: '/var/run/token' } });
    const endpoint = load({ KAFKA_TLS: '1', KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTH_TOKEN_URL: 'https://idp.example/token', KAFKA_SASL_OAUTH_CLIENT_ID: 'runner', KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE: '/s', KAFKA_SASL_OAUTH_SCOPE: 'kafka' });
    expect(kafkaSecurityOf(endpoint).sasl).toEqual({ mechanism: 'oauthbearer', token: { url: 'https://idp.example/token', clientId: 'runner', clientSecret: { file: '/s' }, scope: 'kafka' } });
  });

  it('names every missing or conflicting variable and its rule at once', () => {
    expect(violations({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toEqual([
      { field: 'KAFKA_SASL_USERNAME', rule: 'is required for KAFKA_SASL_MECHANISM=scram-sha-256' },
      { field: 'KAFKA_SASL_PASSWORD', rule: '(or KAFKA_SASL_PASSWORD_FILE) is required for KAFKA_SASL_MECHANISM=scram-sha-256' },
    ]);
    expect(violations({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: '/p' })).toEqual([{ field: 'KAFKA_SASL_PASSWORD_FILE', rule: 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both' }]);
    expect(violations({ KAFKA_TLS_CERT_FILE: '/c.pem' })).toEqual([{ field: 'KAFKA_TLS_KEY_FILE', rule: 'a client certificate needs both KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE' }]);
    expect(violations({ KAFKA_SASL_USERNAME: 'u' })).toEqual([{ field: 'KAFKA_SASL_USERNAME', rule: 'must not be set for KAFKA_SASL_MECHANISM=none' }]);
  });

  it('refuses PLAIN without TLS, unknown mechanisms and half-configured OAuth', () => {
    expect(violations({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual([{ field: 'KAFKA_SASL_MECHANISM', rule: 'plain sends the password in clear: it needs KAFKA_TLS=true' }]);
    expect(violations({ KAFKA_SASL_MECHANISM: 'gssapi' })[0]).toEqual({ field: 'KAFKA_SASL_MECHANISM', rule: 'must be one of none, plain, scram-sha-256, scram-sha-512, oauthbearer' });
    expect(violations({ KAFKA_SASL_MECHANISM: 'oauthbearer' })).toEqual([{ field: 'KAFKA_SASL_OAUTH_TOKEN_FILE', rule: '(or KAFKA_SASL_OAUTH_TOKEN_URL) is required for KAFKA_SASL_MECHANISM=oauthbearer' }]);
    expect(violations({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTH_TOKEN_URL: 'https://idp/t' }).map((v) => v.field)).toEqual(['KAFKA_SASL_OAUTH_CLIENT_ID', 'KAFKA_SASL_OAUTH_CLIENT_SECRET']);
    expect(violations({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTH_TOKEN_URL: 'ftp://idp/t', KAFKA_SASL_OAUTH_CLIENT_ID: 'c', KAFKA_SASL_OAUTH_CLIENT_SECRET: 's' })[0]?.field).toBe('KAFKA_SASL_OAUTH_TOKEN_URL');
    expect(violations({ KAFKA_SASL_OAUTH_TOKEN_FILE: '/t' })).toEqual([{ field: 'KAFKA_SASL_OAUTH_TOKEN_FILE', rule: 'must not be set for KAFKA_SASL_MECHANISM=none' }]);
  });

  it('never puts a secret in its description', () => {
    const s = kafkaSecurityOf(load({ KAFKA_TLS: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2-password' }));
    expect(describeSecurity(s)).not.toContain('hunter2');
  });
});
