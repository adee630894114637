import { randomBytes } from 'node:crypto';
import { ValidationError } from '@weaver/errors';
import { PiiRefusedError } from './pii.errors';
import { parsePiiPolicy } from './pii-policy';
import { PiiScanner } from './pii-scanner';
import { detokenise } from './pii-token';
import { dataKeyTokenKeys, fixedTokenKeys, type TenantDataKeys } from './token-keys';

const TENANT_A = '0b6c3c1e-6f7e-4a51-9a43-5f2a1c9d0e11';
const TENANT_B = '7d1e2f3a-4b5c-4d6e-8f70-112233445566';
const keysOf = new Map([
  [TENANT_A, randomBytes(32)],
  [TENANT_B, randomBytes(32)],
]);
const keys = fixedTokenKeys(async (tenantId) => keysOf.get(tenantId)!);
const scanner = new PiiScanner();
const TEXT = 'Write to anna.weber@example.com or call +49 30 1234567 about card 4111 1111 1111 1111.';

describe('parsePiiPolicy', () => {
  it('fills unnamed types from default (itself defaulting to mask)', () => {
    const p = parsePiiPolicy({ email: 'tokenise', default: 'allow' });
    expect(p.email).toBe('tokenise');
    expect(p.phone).toBe('allow');
    expect(parsePiiPolicy({}).person).toBe('mask');
  });

  it('names every bad field and rule', () => {
    expect.assertions(3);
    try {
      parsePiiPolicy({ emial: 'mask', phone: 'hide' }, 'tenant.piiPolicy');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).violations).toEqual([
        { field: 'tenant.piiPolicy.emial', rule: expect.stringContaining('unknown entity type') },
        { field: 'tenant.piiPolicy.phone', rule: 'must be one of allow, mask, tokenise, refuse' },
      ]);
      expect((e as Error).message).toContain('tenant.piiPolicy.emial');
    }
  });

  it('rejects a policy that is not an object', () => {
    expect(() => parsePiiPolicy(['mask'])).toThrow(ValidationError);
    expect(() => parsePiiPolicy(null)).toThrow('piiPolicy: must be an object');
  });
});

describe('applying a policy', () => {
  it('masks by type and counts findings', async () => {
    const out = await scanner.apply(TEXT, parsePiiPolicy({ default: 'mask' }), { tenantId: TENANT_A });
    expect(out.text).toBe('Write to [EMAIL] or call [PHONE] about card [CREDIT_CARD].');
    expect(out.findings).toEqual([
      { type: 'email', count: 1 },
      { type: 'phone', count: 1 },
      { type: 'credit_card', count: 1 },
    ]);
  });

  it('allows what the policy allows and leaves clean text as it is without reading a key', async () => {
    const current = jest.fn(keys.current);
    const out = await scanner.apply(TEXT, parsePiiPolicy({ default: 'allow', credit_card: 'mask' }), { tenantId: TENANT_A, keys: { ...keys, current } });
    expect(out.text).toBe('Write to anna.weber@example.com or call +49 30 1234567 about card [CREDIT_CARD].');
    const clean = await scanner.apply('nothing to see here', parsePiiPolicy({ default: 'tokenise' }), { tenantId: TENANT_A, keys: { ...keys, current } });
    expect(clean).toEqual({ text: 'nothing to see here', findings: [] });
    expect(current).not.toHaveBeenCalled();
  });

  it('refuses with the types and counts, never the values', async () => {
    const policy = parsePiiPolicy({ default: 'mask', credit_card: 'refuse', phone: 'refuse' });
    const err = await scanner.apply(TEXT, policy, { tenantId: TENANT_A }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PiiRefusedError);
    const refused = err as PiiRefusedError;
    expect(refused.code).toBe('FAILED_PRECONDITION');
    expect(refused.refused).toEqual([
      { type: 'phone', count: 1 },
      { type: 'credit_card', count: 1 },
    ]);
    const everything = JSON.stringify({ message: refused.message, details: refused.details, json: refused.toJSON() });
    for (const value of ['4111', '1234567', 'anna.weber']) expect(everything).not.toContain(value);
  });

  it('tokenises deterministically per tenant and detokenises only with the same tenant key', async () => {
    const policy = parsePiiPolicy({ default: 'tokenise' });
    const a1 = await scanner.apply(TEXT, policy, { tenantId: TENANT_A, keys });
    const a2 = await scanner.apply(TEXT, policy, { tenantId: TENANT_A, keys });
    const b = await scanner.apply(TEXT, policy, { tenantId: TENANT_B, keys });
    expect(a1.text).toBe(a2.text);
    expect(a1.text).toMatch(/^Write to ⟦pii:email:[A-Za-z0-9_-]+⟧ or call ⟦pii:phone:[A-Za-z0-9_-]+⟧ about card ⟦pii:credit_card:[A-Za-z0-9_-]+⟧\.$/);
    expect(a1.text).not.toContain('anna');
    expect(b.text).not.toBe(a1.text);
    expect(await detokenise(a1.text, TENANT_A, keys)).toBe(TEXT);
    // Another tenant's key (and the right key under another tenant's name) open nothing: tokens stay.
    expect(await detokenise(a1.text, TENANT_B, keys)).toBe(a1.text);
    const stolen = fixedTokenKeys(async () => keysOf.get(TENANT_A)!);
    expect(await detokenise(a1.text, TENANT_B, stolen)).toBe(a1.text);
  });

  it('leaves altered tokens and tokens of an unknown type as they are', async () => {
    const { text } = await scanner.apply('mail anna@example.com', parsePiiPolicy({ default: 'tokenise' }), { tenantId: TENANT_A, keys });
    const flipped = text.replace(/⟦pii:email:(.)/, (_m, c: string) => `⟦pii:email:${c === 'A' ? 'B' : 'A'}`);
    expect(await detokenise(flipped, TENANT_A, keys)).toBe(flipped);
    const retyped = text.replace('⟦pii:email:', '⟦pii:phone:');
    expect(await detokenise(retyped, TENANT_A, keys)).toBe(retyped);
  });

  it('derives token keys from the tenant data key with HKDF and keeps old key versions readable', async () => {
    const deks = new Map<number, Buffer>([[1, randomBytes(32)]]);
    let active = 1;
    const dataKeys: TenantDataKeys = {
      active: async () => ({ version: active, key: deks.get(active)! }),
      version: async (_scope, v) => ({ key: deks.get(v)! }),
    };
    const source = dataKeyTokenKeys(dataKeys);
    const policy = parsePiiPolicy({ default: 'tokenise' });
    const v1 = await scanner.apply(TEXT, policy, { tenantId: TENANT_A, keys: source });
    deks.set(2, randomBytes(32));
    active = 2;
    const v2 = await scanner.apply(TEXT, policy, { tenantId: TENANT_A, keys: source });
    expect(v2.text).not.toBe(v1.text);
    expect(await detokenise(`${v1.text} | ${v2.text}`, TENANT_A, source)).toBe(`${TEXT} | ${TEXT}`);
    expect((await source.current(TENANT_A)).key.equals(deks.get(2)!)).toBe(false); // derived, not the DEK itself
  });

  it('fails loudly when a policy tokenises but no key source was wired', async () => {
    await expect(scanner.apply(TEXT, parsePiiPolicy({ default: 'tokenise' }), { tenantId: TENANT_A })).rejects.toThrow('no TokenKeySource');
  });
});
