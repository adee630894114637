import { randomUUID } from 'node:crypto';
import { dispatcherGroup } from '@weaver/agent-runtime';
import { createKafka, DlqHeaders, envelopeRecord, EnvelopeHeaders, EventProducer, listTopics, newEnvelope, readTopicsToEnd, readTopicsUntil, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { type RunningStack, startTestStack } from '@weaver/stack';

interface RunView {
  runId: string;
  status: string;
  result: unknown;
}

/**
 * Isolated tiers (issue 8 §8): a tenant created with tier "isolated" gets its own topic
 * namespace, consumer groups and agent-runner deployment, behind the same API. Proof from the
 * broker's side: the shared topics never carry one of its records, its topics never carry
 * another tenant's, and a trigger of another tenant written onto its topics starts nothing.
 */
describe('isolated tier', () => {
  let stack: RunningStack & { namespace: string };
  let kafka: KafkaConnection;
  let shared: { tenantId: string; apiKey: string };
  let isolated: { tenantId: string; apiKey: string };
  let base: TopicNames;
  let own: TopicNames;

  beforeAll(async () => {
    stack = await startTestStack('isolated-tier');
    base = new TopicNames(stack.namespace);
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'e2e-isolated' });
    shared = await stack.createTenant('acme');
    isolated = await stack.createTenant('initech', 'isolated');
    own = base.forTenant(isolated.tenantId, 'isolated');
    await stack.startIsolatedRunner(isolated.tenantId);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const http = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...init.headers } });

  async function runToEnd(key: string, topic: string): Promise<RunView> {
    const res = await http('/v1/runs', key, { method: 'POST', body: JSON.stringify({ workflow: 'content-pipeline', input: { topic } }) });
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: RunView };
    // The same SSE stream as the shared tier: the gateway tails the tenant's own runs topic.
    const kinds = (await (await http(`/v1/runs/${run.runId}/events`, key)).text()).split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    expect(kinds[0]).toBe('snapshot');
    expect(kinds[kinds.length - 1]).toBe('run.completed');
    const done = (await (await http(`/v1/runs/${run.runId}`, key)).json()) as { run: RunView };
    return done.run;
  }

  it('runs both tiers through the same API, each on its own topics', async () => {
    const a = await runToEnd(shared.apiKey, 'shared tier');
    const b = await runToEnd(isolated.apiKey, 'isolated tier');
    expect(a).toMatchObject({ status: 'completed', result: { topic: 'shared tier' } });
    expect(b).toMatchObject({ status: 'completed', result: { topic: 'isolated tier' } });

    const topics = await listTopics(kafka);
    const ownPrefix = `${own.namespace}.`;
    const ownTopics = topics.filter((t) => t.startsWith(ownPrefix));
    const sharedTopics = topics.filter((t) => t.startsWith(`${stack.namespace}.`) && !t.startsWith(ownPrefix));
    expect(ownTopics).toEqual(expect.arrayContaining([own.triggers, own.runs, own.event('content.requested')]));
    expect(sharedTopics).toEqual(expect.arrayContaining([base.triggers, base.runs, base.event('content.requested')]));

    const tenantsOn = async (list: string[]) => new Set((await readTopicsToEnd(kafka, list)).map((r) => r.headers[EnvelopeHeaders.tenant]));
    const onShared = await tenantsOn(sharedTopics);
    const onOwn = await tenantsOn(ownTopics);
    expect(onShared.has(shared.tenantId)).toBe(true);
    expect(onShared.has(isolated.tenantId)).toBe(false);
    expect([...onOwn]).toEqual([isolated.tenantId]);
  });

  it('refuses another tenant\'s trigger written onto the isolated tenant\'s topics: dead letter, no run', async () => {
    const producer = new EventProducer(kafka);
    const runId = randomUUID();
    const foreign = newEnvelope({ tenantId: shared.tenantId, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'e2e-misrouted', payload: { input: { topic: 'misrouted' } } });
    await producer.send([envelopeRecord(foreign, own.triggers)]);
    await producer.disconnect();
    const dlq = own.dlq(dispatcherGroup(own));
    const dead = await readTopicsUntil(kafka, [dlq], (rs) => rs.some((r) => r.headers[EnvelopeHeaders.run] === runId), 60_000);
    const letter = dead.find((r) => r.headers[EnvelopeHeaders.run] === runId)!;
    expect(letter.headers[DlqHeaders.errorMessage]).toContain(`serves only tenant ${isolated.tenantId}`);
    expect((await http(`/v1/runs/${runId}`, shared.apiKey)).status).toBe(404);
  });
});
