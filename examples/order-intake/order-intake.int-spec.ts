import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { TenantGate } from '@weaver/agent-runtime';
import { jwkThumbprint, publicJwkOf, signTriggerRecord } from '@weaver/sdk';
import { ExampleStack } from '../test/example-stack';
import { ORDERS_TOPIC, orderIntake } from './workflow';

/** The checkout service's side: a plain Kafka producer (kcat, librdkafka) writing signed JSON. */
function produce(value: string, headers: Record<string, string>): void {
  const args = ['-P', '-b', process.env['WEAVER_TEST_KAFKA_BROKERS']!, '-t', ORDERS_TOPIC, '-k', 'checkout', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`])];
  execFileSync('kcat', args, { input: value });
}

describe('order-intake example (a kafka: topic trigger fed by a foreign producer) on the real broker and database', () => {
  const key = generateKeyPairSync('ed25519').privateKey;
  const stack = new ExampleStack();
  // The tenant registered this public key for its triggers (tenancy's RegisterTriggerKey in production).
  const keys = { triggerKeys: async (tenantId: string) => (tenantId === stack.tenantId ? [{ keyId: jwkThumbprint(publicJwkOf(key)), publicJwk: publicJwkOf(key) }] : null) };
  beforeAll(() => stack.start([orderIntake], { tenants: new TenantGate(keys) }));
  afterAll(() => stack.stop());

  const runsOf = async (orderId: string) => (await stack.store.listRuns(stack.tenantId)).filter((r) => (r.input as { orderId?: string } | undefined)?.orderId === orderId);

  it('turns a signed JSON record on the shop topic into a completed run', async () => {
    const order = JSON.stringify({ orderId: 'o-1001', items: [{ sku: 'mug', qty: 2, priceUsd: 9.5 }, { sku: 'tee', qty: 1, priceUsd: 20 }] });
    produce(order, { 'weaver-tenant': stack.tenantId, 'weaver-signature': signTriggerRecord({ topic: ORDERS_TOPIC, value: order, privateKey: key }) });
    let runs = await runsOf('o-1001');
    for (const deadline = Date.now() + 60_000; !(runs[0] && ['completed', 'failed'].includes(runs[0].status)) && Date.now() < deadline; runs = await runsOf('o-1001')) await new Promise((r) => setTimeout(r, 100));
    expect(runs).toHaveLength(1);
    expect(await stack.finished(runs[0]!.runId)).toMatchObject({ workflow: 'order-intake', status: 'completed', result: { orderId: 'o-1001', totalUsd: 39 } });
  });

  it('starts no run for an unsigned record (it goes to the trigger group\'s dead-letter topic)', async () => {
    const forged = JSON.stringify({ orderId: 'o-666', items: [{ sku: 'gold', qty: 100, priceUsd: 0 }] });
    produce(forged, { 'weaver-tenant': stack.tenantId });
    // A signed record written after it is processed after it (same partition, same key): once it ran, the forged one was refused.
    const after = JSON.stringify({ orderId: 'o-1002', items: [{ sku: 'mug', qty: 1, priceUsd: 9.5 }] });
    produce(after, { 'weaver-tenant': stack.tenantId, 'weaver-signature': signTriggerRecord({ topic: ORDERS_TOPIC, value: after, privateKey: key }) });
    for (const deadline = Date.now() + 60_000; (await runsOf('o-1002')).length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    expect(await runsOf('o-1002')).toHaveLength(1);
    expect(await runsOf('o-666')).toEqual([]);
  });
});
