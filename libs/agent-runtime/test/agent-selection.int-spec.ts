import { randomUUID } from 'node:crypto';
import { envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { parseAgentSelection, type AgentHost } from '../src';
import { RuntimeFixture } from './runtime-fixture';

@agent({ name: 'sel-a', requires: ['sel.opened'], publishes: ['sel.a-done'] })
class A extends Agent<{ n: number }> {
  async process(p: { n: number }) {
    return { n: p.n + 1 };
  }
}

@agent({ name: 'sel-b', requires: ['sel.a-done'], publishes: ['sel.b-done'] })
class B extends Agent<{ n: number }> {
  async process(p: { n: number }) {
    return { n: p.n + 1 };
  }
}

@agent({ name: 'sel-c', requires: ['sel.b-done'], publishes: ['sel.closed'] })
class C extends Agent<{ n: number }> {
  async process(p: { n: number }) {
    return { n: p.n + 1 };
  }
}

const flow = new Workflow('sel-flow').addAgents(A, B, C);

/** The topics a host has consumed records from (a partition's worker exists once it took a batch). */
const consumedTopics = (host: AgentHost): string[] => [...new Set(host.assignedPartitions.map((id) => id.slice(0, id.lastIndexOf(':'))))].sort();

// What the Helm chart's per-agent Deployments rely on (WEAVER_AGENTS, WEAVER_DISPATCH=false):
// each runner joins only its agents' groups, and a backlog waits for its own agent's runner.
describe('a runner hosting a subset of agents (WEAVER_AGENTS) on the real broker', () => {
  const fx = new RuntimeFixture();
  let producer: EventProducer;
  beforeAll(async () => {
    await fx.open();
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
  });

  it('consumes only its agents’ topics; the other agents’ work waits for their own runner', async () => {
    const dispatching = await fx.host([flow], { agents: parseAgentSelection(['!sel-b', '!sel-c']) });
    const onlyB = await fx.host([flow], { agents: parseAgentSelection(['sel-b']), dispatch: false });
    expect(dispatching.hostedAgents.map((a) => a.name)).toEqual(['sel-a']);
    expect(onlyB.hostedAgents.map((a) => a.name)).toEqual(['sel-b']);

    const tenant = randomUUID();
    const runId = randomUUID();
    await producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'sel-flow', type: 'run.requested', producer: 'test', payload: { input: { n: 0 } } }), fx.names.triggers)]);
    await fx.until('sel-b completed', () => fx.count(runId, 'step.completed', 'sel-b') > 0);
    expect(fx.count(runId, 'step.completed', 'sel-c')).toBe(0);
    expect((await fx.store.getRun(tenant, runId))?.status).toBe('running');
    expect(consumedTopics(onlyB)).toEqual([fx.names.event('sel.a-done')]);
    expect(consumedTopics(dispatching)).toEqual([fx.names.event('sel.opened'), fx.names.triggers].sort());

    // "Scaled from zero": sel-c's runner starts and takes the waiting event.
    const onlyC = await fx.host([flow], { agents: parseAgentSelection(['sel-c']), dispatch: false });
    await fx.until('the run completed', () => fx.count(runId, 'run.completed') > 0);
    expect(consumedTopics(onlyC)).toEqual([fx.names.event('sel.b-done')]);
    expect(await fx.store.getRun(tenant, runId)).toMatchObject({ status: 'completed', result: { n: 3 } });
  });

  it('refuses an agent the workflows do not define, naming WEAVER_AGENTS', async () => {
    await expect(fx.host([flow], { agents: parseAgentSelection(['sel-x']) })).rejects.toThrow(/WEAVER_AGENTS: unknown agent "sel-x"/);
  });
});
