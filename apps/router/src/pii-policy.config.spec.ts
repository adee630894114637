import { loadConfig, z } from '@weaver/config';
import { ConfigError } from '@weaver/errors';
import { PII_TYPES } from '@weaver/pii';
import { routerPiiPolicy } from './pii-policy.config';

const schema = z.object({ ROUTER_PII_POLICY: routerPiiPolicy });

describe('ROUTER_PII_POLICY', () => {
  it('defaults to allowing every type (prompts reach providers as before)', () => {
    const { ROUTER_PII_POLICY } = loadConfig(schema, {}, 'test');
    expect(PII_TYPES.every((t) => ROUTER_PII_POLICY[t] === 'allow')).toBe(true);
  });

  it('fills the types a policy does not name from its default', () => {
    const { ROUTER_PII_POLICY } = loadConfig(schema, { ROUTER_PII_POLICY: '{"default":"mask","person":"allow"}' }, 'test');
    expect(ROUTER_PII_POLICY).toMatchObject({ email: 'mask', iban: 'mask', person: 'allow' });
  });

  it('refuses at start naming the type and the rule, or the JSON', () => {
    const err = (() => {
      try {
        loadConfig(schema, { ROUTER_PII_POLICY: '{"emial":"mask","phone":"hide"}' }, 'test');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('ROUTER_PII_POLICY.emial: unknown entity type');
    expect((err as Error).message).toContain('ROUTER_PII_POLICY.phone: must be one of allow, mask, tokenise, refuse');
    expect(() => loadConfig(schema, { ROUTER_PII_POLICY: 'mask' }, 'test')).toThrow(/must be JSON/);
  });
});
