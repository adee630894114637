import { randomUUID } from 'node:crypto';
import { deleteTopics, DlqHeaders, EventProducer } from '@weaver/messaging';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { kafkaRunId, kafkaTriggerGroup } from '../src';
import { readTopic, RuntimeFixture } from './runtime-fixture';

@agent({ name: 'order-taker', requires: ['order.placed'], publishes: ['order.taken'] })
class OrderTaker extends Agent<{ orderId: number }> {
  async process({ orderId }: { orderId: number }) {
    return { orderId, taken: true };
  }
}

describe('kafka-topic triggers on the real broker and database', () => {
  const fx = new RuntimeFixture();
  const topic = `test-orders-${randomUUID().slice(0, 8)}`; // the user's own topic: not namespaced
  const orders = new Workflow('order-flow').addAgents(OrderTaker).setTrigger(`kafka:${topic}`);
  let producer: EventProducer;
  beforeAll(async () => {
    await fx.open();
    await fx.host([orders]);
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
    await deleteTopics(fx.kafka, [topic]).catch(() => undefined);
  });

  it('starts one run per record, for the tenant in the header or the value, and dead-letters records without one', async () => {
    const [t1, t2] = [randomUUID(), randomUUID()];
    const json = (v: unknown) => Buffer.from(JSON.stringify(v));
    // A plain Kafka producer, as any system outside Weaver would write.
    await producer.send([
      ...[1, 2, 3].map((orderId) => ({ topic, key: `o${orderId}`, value: json({ orderId }), headers: { 'weaver-tenant': t1 } })),
      { topic, key: 'o4', value: json({ orderId: 4, tenantId: t2 }) },
      { topic, key: 'o5', value: json({ orderId: 5 }) },
      { topic, key: 'o6', value: Buffer.from('<order id="6"/>'), headers: { 'weaver-tenant': t1 } },
    ]);
    const records = await readTopic(fx.kafka, topic, (rs) => rs.length >= 6);
    const byKey = new Map(records.map((r) => [r.key, r]));
    const runIdOf = (key: string) => kafkaRunId(byKey.get(key)!);
    await fx.until('the four valid orders ran', () => ['o1', 'o2', 'o3', 'o4'].every((k) => fx.count(runIdOf(k), 'run.completed') > 0));

    expect((await fx.store.listRuns(t1)).map((r) => r.runId).sort()).toEqual(['o1', 'o2', 'o3'].map(runIdOf).sort());
    expect(await fx.store.getRun(t1, runIdOf('o2'))).toMatchObject({ workflow: 'order-flow', status: 'completed', input: { orderId: 2 }, result: { orderId: 2, taken: true } });
    expect(await fx.store.getRun(t2, runIdOf('o4'))).toMatchObject({ status: 'completed', input: { orderId: 4, tenantId: t2 } });
    // Exactly one trigger per record, whatever the consumer's retries did.
    const triggers = await readTopic(fx.kafka, fx.names.triggers, (rs) => rs.length >= 4);
    expect(triggers.map((r) => r.key).sort()).toEqual(['o1', 'o2', 'o3', 'o4'].map(runIdOf).sort());

    const dead = await readTopic(fx.kafka, fx.names.dlq(kafkaTriggerGroup(fx.names, 'order-flow')), (rs) => rs.length >= 2);
    const reasons = Object.fromEntries(dead.map((r) => [r.key, r.headers[DlqHeaders.errorMessage]]));
    expect(reasons['o5']).toContain('tenant: name the tenant in the "weaver-tenant" header or a "tenantId" field of the JSON value');
    expect(reasons['o6']).toContain('record.value: must be a JSON document');
    expect(dead.every((r) => r.headers[DlqHeaders.sourceTopic] === topic)).toBe(true);
  });
});
