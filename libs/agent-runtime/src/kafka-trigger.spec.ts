import { generateKeyPairSync } from 'node:crypto';
import { decodeEnvelope, payloadOf, TopicNames, type InboundRecord } from '@weaver/messaging';
import { ValidationError } from '@weaver/errors';
import { Agent, agent, jwkThumbprint, publicJwkOf, signTriggerRecord, Workflow } from '@weaver/sdk';
import { KafkaTrigger } from './kafka-trigger';
import { kafkaRunId } from './run-ids';
import { TenantGate, TriggerRefusedError } from './tenant-gate';

const names = new TopicNames('acme');

@agent({ name: 'order-handler', requires: ['order.received'], publishes: ['order.handled'] })
class OrderHandler extends Agent {
  async process(input: unknown): Promise<unknown> {
    return input;
  }
}
const workflow = new Workflow('orders').addAgents(OrderHandler).setTrigger('kafka:shop.orders');
const tenant = '3f1b2c4d-5e6f-4a1b-8c2d-9e0f1a2b3c4d';
const { privateKey } = generateKeyPairSync('ed25519');
const jwk = publicJwkOf(privateKey);
// In-memory stand-in of the tenancy service: one tenant with one trigger key.
const gate = new TenantGate({ triggerKeys: async (id) => (id === tenant ? [{ keyId: jwkThumbprint(jwk), publicJwk: jwk }] : null) });
/** A record on the trigger topic, signed with the tenant's key unless `signed` is false. */
const record = (value: string, headers: Record<string, string> = {}, signed = true): InboundRecord => ({
  topic: 'shop.orders',
  partition: 2,
  offset: '17',
  key: null,
  value: Buffer.from(value),
  headers: signed ? { ...headers, 'weaver-signature': signTriggerRecord({ topic: 'shop.orders', value, privateKey }) } : headers,
  timestamp: '1760000000000',
});
const trigger = () => new KafkaTrigger(workflow, names, gate);

async function failure(r: InboundRecord): Promise<ValidationError> {
  const error = await trigger().handle(r).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('KafkaTrigger', () => {
  it('turns a record into a run request for its tenant, with a run id derived from the record', async () => {
    const r = record('{"orderId":7}', { 'weaver-tenant': tenant.toUpperCase() });
    const [out, ...rest] = await trigger().handle(r);
    expect(rest).toEqual([]);
    expect(out?.topic).toBe('acme.weaver.triggers.v1');
    const env = decodeEnvelope(out!);
    expect(env).toMatchObject({ tenantId: tenant, runId: kafkaRunId(r), workflow: 'orders', type: 'run.requested', id: 'kafka:shop.orders:2:17' });
    expect(payloadOf(env)).toEqual({ input: { orderId: 7 } });
    expect(out?.key).toBe(kafkaRunId(r));
  });

  it('takes the tenant from the JSON value when there is no header', async () => {
    const [out] = await trigger().handle(record(`{"tenantId":"${tenant}","orderId":8}`));
    expect(decodeEnvelope(out!).tenantId).toBe(tenant);
  });

  it('refuses records without a tenant, with a bad tenant, or that are not JSON, naming the field', async () => {
    expect((await failure(record('{"orderId":9}'))).violations).toEqual([{ field: 'tenant', rule: 'name the tenant in the "weaver-tenant" header or a "tenantId" field of the JSON value' }]);
    expect((await failure(record('{}', { 'weaver-tenant': 'acme' }))).violations[0]?.field).toBe('headers.weaver-tenant');
    expect((await failure(record('{"tenantId":5}'))).violations[0]?.field).toBe('value.tenantId');
    expect((await failure(record('not json'))).violations[0]).toEqual({ field: 'record.value', rule: 'must be a JSON document (the run input)' });
    expect((await failure(record(''))).message).toContain('kafka trigger record shop.orders/2@17');
  });

  it('refuses an unsigned record, and a signed one naming another tenant, before making a trigger', async () => {
    const unsigned = await trigger().handle(record('{"orderId":1}', { 'weaver-tenant': tenant }, false)).catch((e: unknown) => e);
    expect(unsigned).toBeInstanceOf(TriggerRefusedError);
    expect((unsigned as Error).message).toBe('trigger refused (kafka trigger record shop.orders/2@17): unsigned: the "weaver-signature" header is missing');
    const otherTenant = '9a9a9a9a-5e6f-4a1b-8c2d-9e0f1a2b3c4d';
    const claimed = await trigger().handle(record('{"orderId":1}', { 'weaver-tenant': otherTenant })).catch((e: unknown) => e);
    expect((claimed as Error).message).toContain(`unknown tenant ${otherTenant}`);
  });
});
