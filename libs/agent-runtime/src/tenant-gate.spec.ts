import { generateKeyPairSync } from 'node:crypto';
import type { InboundRecord } from '@weaver/messaging';
import { jwkThumbprint, publicJwkOf, signTriggerRecord, TRIGGER_SIGNATURE_HEADER } from '@weaver/sdk';
import { TenantGate, TriggerRefusedError, type TenantKeys } from './tenant-gate';

const tenant = '3f1b2c4d-5e6f-4a1b-8c2d-9e0f1a2b3c4d';
const { privateKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519').privateKey;
const jwk = publicJwkOf(privateKey);
const kid = jwkThumbprint(jwk);

/** In-memory tenant directory that counts its lookups. */
function directory(keys: Record<string, Array<{ keyId: string; publicJwk: typeof jwk }>>): TenantKeys & { lookups: number } {
  const d = { lookups: 0, triggerKeys: async (id: string) => (d.lookups++, keys[id] ?? null) };
  return d;
}
const record = (value: string, signature?: string, topic = 'shop.orders'): InboundRecord => ({
  topic,
  partition: 0,
  offset: '5',
  key: null,
  value: Buffer.from(value),
  headers: signature === undefined ? {} : { [TRIGGER_SIGNATURE_HEADER]: signature },
  timestamp: '0',
});
async function refusal(gate: TenantGate, r: InboundRecord, tenantId = tenant): Promise<string> {
  const error = await gate.assertSigned(r, tenantId, 'test').then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TriggerRefusedError);
  expect((error as TriggerRefusedError).retriable).toBe(false);
  return (error as Error).message;
}

describe('TenantGate (signed kafka: triggers)', () => {
  const keys = { [tenant]: [{ keyId: kid, publicJwk: jwk }] };

  it('accepts a record signed over its value and topic with a registered key', async () => {
    const gate = new TenantGate(directory(keys));
    const value = '{"orderId":7}';
    await expect(gate.assertSigned(record(value, signTriggerRecord({ topic: 'shop.orders', value, privateKey })), tenant, 'test')).resolves.toBeUndefined();
  });

  it('refuses unsigned, forged, re-targeted and unknown-key records, and unknown tenants, with the reason', async () => {
    const gate = new TenantGate(directory(keys));
    const value = '{"orderId":7}';
    const signed = signTriggerRecord({ topic: 'shop.orders', value, privateKey });
    expect(await refusal(gate, record(value))).toBe('trigger refused (test): unsigned: the "weaver-signature" header is missing');
    expect(await refusal(gate, record('{"orderId":8}', signed))).toBe('trigger refused (test): the signature does not match the record (forged or altered)');
    expect(await refusal(gate, record(value, signed, 'shop.refunds'))).toBe('trigger refused (test): the signature is for topic "shop.orders", not "shop.refunds"');
    const forgedKid = signTriggerRecord({ topic: 'shop.orders', value, privateKey: other });
    expect(await refusal(gate, record(value, forgedKid))).toContain(`unknown key id "${jwkThumbprint(publicJwkOf(other))}" for tenant ${tenant}`);
    // Someone else's key under this tenant's kid: the kid matches, the signature does not.
    const [h] = signed.split('..');
    const sigByOther = forgedKid.split('..')[1];
    expect(await refusal(gate, record(value, `${h}..${sigByOther}`))).toContain('forged or altered');
    expect(await refusal(gate, record(value, signed), '00000000-0000-4000-8000-000000000000')).toBe('trigger refused (test): unknown tenant 00000000-0000-4000-8000-000000000000');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}..`;
    expect(await refusal(gate, record(value, none))).toContain('not a detached compact JWS');
    const hs = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid })).toString('base64url')}..c2ln`;
    expect(await refusal(gate, record(value, hs))).toContain('the JWS "alg" must be "EdDSA", got "HS256"');
    expect(await refusal(gate, record(value, 'garbage'))).toContain('not a detached compact JWS');
  });

  it('looks a tenant up once per TTL, sharing concurrent lookups, and caches unknown tenants too', async () => {
    const dir = directory(keys);
    const gate = new TenantGate(dir, { ttlMs: 60_000 });
    const value = '{}';
    const r = record(value, signTriggerRecord({ topic: 'shop.orders', value, privateKey }));
    await Promise.all(Array.from({ length: 50 }, () => gate.assertSigned(r, tenant, 'test')));
    await gate.assertTenant(tenant, 'test');
    expect(dir.lookups).toBe(1);
    const unknown = '11111111-1111-4111-8111-111111111111';
    await expect(gate.assertTenant(unknown, 'test')).rejects.toBeInstanceOf(TriggerRefusedError);
    await expect(gate.assertTenant(unknown, 'test')).rejects.toBeInstanceOf(TriggerRefusedError);
    expect(dir.lookups).toBe(2);
  });
});
