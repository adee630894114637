import { ConfigError } from '@weaver/errors';
import { loadConfig, port, csv, z } from './index';

const schema = z.object({ GATEWAY_PORT: port(8080), KAFKA_BROKERS: csv('127.0.0.1:9092'), DATABASE_URL: z.string().url() });

describe('loadConfig', () => {
  it('applies defaults and coerces', () => {
    const cfg = loadConfig(schema, { DATABASE_URL: 'postgres://u@h/db' });
    expect(cfg).toEqual({ GATEWAY_PORT: 8080, KAFKA_BROKERS: ['127.0.0.1:9092'], DATABASE_URL: 'postgres://u@h/db' });
  });

  it('names every bad variable and its rule at once', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { GATEWAY_PORT: '99999' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const fields = (caught as ConfigError).violations.map((v) => v.field);
    expect(fields).toEqual(['GATEWAY_PORT', 'DATABASE_URL']);
    expect((caught as ConfigError).message).toMatch(/GATEWAY_PORT: .*65535/);
  });
});
