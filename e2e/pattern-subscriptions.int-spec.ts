import { randomUUID } from 'node:crypto';
import { createKafka, envelopeRecord, EventProducer, newEnvelope, provisionTopics, TopicNames, topicSpec, type KafkaConnection } from '@weaver/messaging';
import { type RunningStack, startTestStack } from '@weaver/stack';

interface RunView {
  runId: string;
  status: string;
  result: unknown;
}

/**
 * Pattern subscriptions through the platform: the agent-runner hosts an agent requiring
 * `content.*` (registered with the real registry) and one requiring `*.completed`; runs reach
 * them through two existing types, and through a type whose topic is created after start.
 */
describe('pattern subscriptions through the platform', () => {
  let stack: RunningStack & { namespace: string };
  let names: TopicNames;
  let kafka: KafkaConnection;
  let acme: { tenantId: string; apiKey: string };
  beforeAll(async () => {
    stack = await startTestStack('pattern-subscriptions', {
      workflows: ['e2e/fixtures/pattern-content.workflow.ts'],
      env: { 'agent-runner': { PATTERN_REFRESH_MS: '500' } },
    });
    names = new TopicNames(stack.namespace);
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'pattern-e2e' });
    acme = await stack.createTenant('acme-patterns');
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit = {}) => fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': acme.apiKey, ...init.headers } });
  const start = async (input: unknown): Promise<string> => {
    const res = await http('/v1/runs', { method: 'POST', body: JSON.stringify({ workflow: 'pattern-content', input }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run: RunView }).run.runId;
  };
  async function waitForRun(runId: string, until: (r: RunView) => boolean): Promise<RunView> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const res = await http(`/v1/runs/${runId}`);
      if (res.status !== 200) continue;
      const { run } = (await res.json()) as { run: RunView & { steps?: Array<{ step: string }> } };
      if (until(run)) return run;
    }
    throw new Error(`run ${runId} did not get there`);
  }
  const finished = (r: RunView) => r.status === 'completed' || r.status === 'failed';

  it('content.* takes two existing types and a type whose topic is created later; *.completed takes what it publishes', async () => {
    const [drafted, reviewed] = [await start({ kind: 'draft', n: 1 }), await start({ kind: 'review', n: 2 })];
    expect(await waitForRun(drafted, finished)).toMatchObject({ status: 'completed', result: { finishedFrom: 'collected.completed', input: { seen: 'content.drafted' } } });
    expect(await waitForRun(reviewed, finished)).toMatchObject({ status: 'completed', result: { input: { seen: 'content.reviewed' } } });

    // A run parked by its entry agent, then fed by a producer outside the workflow on a new type's topic.
    const parked = await start({ kind: 'park', n: 3 });
    await waitForRun(parked, (r) => (r as RunView & { steps?: Array<{ step: string }> }).steps?.some((s) => s.step === 'pattern-splitter') === true);
    const topic = names.event('content.translated');
    await provisionTopics(kafka, [topicSpec(topic, 3)]);
    const producer = new EventProducer(kafka);
    await producer.send([envelopeRecord(newEnvelope({ id: randomUUID(), tenantId: acme.tenantId, runId: parked, workflow: 'pattern-content', type: 'content.translated', producer: 'translator', payload: { lang: 'fr' } }), topic)]);
    await producer.disconnect();
    expect(await waitForRun(parked, finished)).toMatchObject({ status: 'completed', result: { finishedFrom: 'collected.completed', input: { seen: 'content.translated', input: { lang: 'fr' } } } });

    // The registry (where the runner registered the definitions) says what runs next on any content type.
    const next = async (type: string) => {
      const res = await http(`/v1/agents?requiresEvent=${type}`);
      return ((await res.json()) as { agents: Array<{ definition?: { name: string; requires: string[] } }> }).agents.map((a) => a.definition?.name).sort();
    };
    expect(await next('content.translated')).toEqual(['pattern-collector']);
    expect(await next('collected.completed')).toEqual(['pattern-finisher']);
  });
});
