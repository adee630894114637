import { generateKeyPairSync } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '@weaver/errors';
import { deleteTopics, DlqHeaders, envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { migrateTestDatabase } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import { Agent, agent, publicJwkOf, signTriggerRecord, Workflow } from '@weaver/sdk';
import { TenantDirectory, tenancySchema, TriggerKeyStore } from '@weaver/tenancy-core';
import { dispatcherGroup, kafkaRunId, kafkaTriggerGroup, TenantGate, type TenantKeys } from '../src';
import { readTopic, RuntimeFixture } from './runtime-fixture';

@agent({ name: 'order-taker', requires: ['order.placed'], publishes: ['order.taken'] })
class OrderTaker extends Agent<{ orderId: number }> {
  async process({ orderId }: { orderId: number }) {
    return { orderId, taken: true };
  }
}

describe('kafka-topic triggers on the real broker and database, with verified tenants', () => {
  const fx = new RuntimeFixture();
  const topic = `test-orders-${randomUUID().slice(0, 8)}`; // the user's own topic: not namespaced
  const orders = new Workflow('order-flow').addAgents(OrderTaker).setTrigger(`kafka:${topic}`);
  let producer: EventProducer;
  let tenancyDs: DataSource;
  let keys: TriggerKeyStore;
  let directory: TenantDirectory;
  beforeAll(async () => {
    await fx.open();
    // The tenancy schema in the same test database: tenants and trigger keys as the tenancy service keeps them.
    await migrateTestDatabase(fx.db, [{ schema: tenancySchema.schema, migrations: tenancySchema.migrations }, { schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    tenancyDs = await createDataSource({ url: fx.db.urlOf('tenancy'), ...tenancySchema, poolSize: 2 }).initialize();
    keys = new TriggerKeyStore(tenancyDs);
    directory = new TenantDirectory(tenancyDs);
    // What the agent-runner's gRPC client answers: the tenant's active keys, or null for no tenant.
    const source: TenantKeys = { triggerKeys: (id) => keys.list(id).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) };
    await fx.host([orders], { tenants: new TenantGate(source, { ttlMs: 1_000 }) });
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close().finally(() => tenancyDs?.destroy());
    await deleteTopics(fx.kafka, [topic]).catch(() => undefined);
  });

  it('runs signed records for their tenant; unsigned, forged, unknown-key and unknown-tenant records dead-letter with the reason and create no run', async () => {
    const [t1, t2] = [(await directory.createTenant({ name: 'shop one' })).tenant.id, (await directory.createTenant({ name: 'shop two' })).tenant.id];
    const [k1, k2, stranger] = [0, 1, 2].map(() => generateKeyPairSync('ed25519').privateKey);
    const registered = await keys.register(t1, JSON.stringify(publicJwkOf(k1!)), 'ci');
    await keys.register(t2, JSON.stringify(publicJwkOf(k2!)), 'ci');
    expect(registered.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const nobody = randomUUID();
    const json = (v: unknown) => JSON.stringify(v);
    const signed = (key: typeof k1, value: string, headers: Record<string, string> = {}) => ({ ...headers, 'weaver-signature': signTriggerRecord({ topic, value, privateKey: key! }) });
    const v = (orderId: number, extra: object = {}) => json({ orderId, ...extra });
    // A plain Kafka producer, as any system outside Weaver would write.
    await producer.send([
      ...[1, 2, 3].map((orderId) => ({ topic, key: `o${orderId}`, value: Buffer.from(v(orderId)), headers: signed(k1, v(orderId), { 'weaver-tenant': t1 }) })),
      { topic, key: 'o4', value: Buffer.from(v(4, { tenantId: t2 })), headers: signed(k2, v(4, { tenantId: t2 })) },
      { topic, key: 'o5', value: Buffer.from(v(5)), headers: signed(k1, v(5)) }, // no tenant
      { topic, key: 'o6', value: Buffer.from('<order id="6"/>'), headers: { 'weaver-tenant': t1 } },
      { topic, key: 'o7', value: Buffer.from(v(7)), headers: { 'weaver-tenant': t1 } }, // unsigned
      { topic, key: 'o8', value: Buffer.from(v(8, { amount: 1_000_000 })), headers: signed(k1, v(8), { 'weaver-tenant': t1 }) }, // altered after signing
      { topic, key: 'o9', value: Buffer.from(v(9)), headers: signed(stranger, v(9), { 'weaver-tenant': t1 }) }, // a key t1 never registered
      { topic, key: 'o10', value: Buffer.from(v(10)), headers: signed(k1, v(10), { 'weaver-tenant': nobody }) }, // no such tenant
      { topic, key: 'o11', value: Buffer.from(v(11)), headers: signed(k2, v(11), { 'weaver-tenant': t1 }) }, // t2's key claiming t1
    ]);
    const records = await readTopic(fx.kafka, topic, (rs) => rs.length >= 11);
    const byKey = new Map(records.map((r) => [r.key, r]));
    const runIdOf = (key: string) => kafkaRunId(byKey.get(key)!);
    await fx.until('the four signed orders ran', () => ['o1', 'o2', 'o3', 'o4'].every((k) => fx.count(runIdOf(k), 'run.completed') > 0));

    expect((await fx.store.listRuns(t1)).map((r) => r.runId).sort()).toEqual(['o1', 'o2', 'o3'].map(runIdOf).sort());
    expect((await fx.store.listRuns(t2)).map((r) => r.runId)).toEqual([runIdOf('o4')]);
    expect(await fx.store.listRuns(nobody)).toEqual([]);
    expect(await fx.store.getRun(t1, runIdOf('o2'))).toMatchObject({ workflow: 'order-flow', status: 'completed', input: { orderId: 2 }, result: { orderId: 2, taken: true } });

    const dead = await readTopic(fx.kafka, fx.names.dlq(kafkaTriggerGroup(fx.names, 'order-flow')), (rs) => rs.length >= 7);
    const reasons = Object.fromEntries(dead.map((r) => [r.key, r.headers[DlqHeaders.errorMessage]]));
    expect(Object.keys(reasons).sort()).toEqual(['o10', 'o11', 'o5', 'o6', 'o7', 'o8', 'o9']);
    expect(reasons['o5']).toContain('tenant: name the tenant in the "weaver-tenant" header or a "tenantId" field of the JSON value');
    expect(reasons['o6']).toContain('record.value: must be a JSON document');
    expect(reasons['o7']).toContain('unsigned: the "weaver-signature" header is missing');
    expect(reasons['o8']).toContain('the signature does not match the record (forged or altered)');
    expect(reasons['o9']).toContain(`unknown key id`);
    expect(reasons['o10']).toContain(`unknown tenant ${nobody}`);
    expect(reasons['o11']).toContain(`unknown key id`);
    expect(dead.every((r) => r.headers[DlqHeaders.sourceTopic] === topic)).toBe(true);
    // Exactly one trigger per signed record, and none for the refused ones.
    const triggers = await readTopic(fx.kafka, fx.names.triggers, (rs) => rs.length >= 4);
    expect(triggers.map((r) => r.key).sort()).toEqual(['o1', 'o2', 'o3', 'o4'].map(runIdOf).sort());
  });

  it('dead-letters a trigger for a tenant that does not exist, written straight to the triggers topic, without a run', async () => {
    const ghost = randomUUID();
    const runId = randomUUID();
    const trigger = newEnvelope({ tenantId: ghost, runId, workflow: 'order-flow', type: 'run.requested', producer: 'outsider', payload: { input: { orderId: 99 } } });
    await producer.send([envelopeRecord(trigger, fx.names.triggers)]);
    const dead = await readTopic(fx.kafka, fx.names.dlq(dispatcherGroup(fx.names)), (rs) => rs.some((r) => r.key === runId));
    expect(dead.find((r) => r.key === runId)?.headers[DlqHeaders.errorMessage]).toContain(`unknown tenant ${ghost}`);
    expect(await fx.store.getRun(ghost, runId)).toBeUndefined();
  });
});
