import { randomUUID } from 'node:crypto';
import { decodeEnvelope, envelopeRecord, EventProducer, newEnvelope, payloadOf } from '@weaver/messaging';
import { Agent, agent, Workflow, z } from '@weaver/sdk';
import { agentGroup } from '../src';
import { RuntimeFixture, readTopic } from './runtime-fixture';

const Part = z.object({ n: z.number() });
const Joined = z.object({ 'jf.left': Part, 'jf.right': Part });
let merges = 0;

@agent({ name: 'jf-left', requires: ['jf.requested'], publishes: ['jf.left'] })
class Left extends Agent<{ n: number }> {
  async process({ n }: { n: number }) {
    return { n: n * 10 };
  }
}

@agent({ name: 'jf-right', requires: ['jf.requested'], publishes: ['jf.right'] })
class Right extends Agent<{ n: number }> {
  async process({ n }: { n: number }) {
    return { n: n + 1 };
  }
}

/** Joins both branches of a run: input keyed by event type. */
@agent({ name: 'jf-merger', requires: ['jf.left', 'jf.right'], publishes: ['jf.merged'], input: Joined })
class Merger extends Agent<z.infer<typeof Joined>> {
  async process(input: z.infer<typeof Joined>) {
    merges++;
    return { sum: input['jf.left'].n + input['jf.right'].n, from: this.event.type };
  }
}

const joinFlow = new Workflow('join-flow').addAgents(Left, Right, Merger);

describe('join agents on the real broker and database', () => {
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

  const trigger = (tenant: string, runId: string, n: number) =>
    envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'join-flow', type: 'run.requested', producer: 'test', payload: { input: { n } } }), fx.names.triggers);
  const part = (tenant: string, runId: string, type: string, payload: unknown) => envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'join-flow', type, producer: 'test', payload }), fx.names.event(type));

  it('fans out and joins per run, running the merger exactly once per run even with two hosts racing', async () => {
    await Promise.all([fx.host([joinFlow]), fx.host([joinFlow])]);
    const tenant = randomUUID();
    const runs = Array.from({ length: 24 }, (_, i) => ({ runId: randomUUID(), n: i }));
    merges = 0;
    await producer.send(runs.map((r) => trigger(tenant, r.runId, r.n)));
    await fx.until('all runs completed', () => runs.every((r) => fx.count(r.runId, 'run.completed') > 0));

    for (const r of runs.slice(0, 5)) {
      const run = await fx.store.getRun(tenant, r.runId);
      expect(run).toMatchObject({ status: 'completed', result: { sum: r.n * 10 + r.n + 1 } });
      expect(run?.steps.map((s) => s.step).sort()).toEqual(['jf-left', 'jf-merger', 'jf-right']);
      expect(await fx.store.getJoin(tenant, r.runId, 'jf-merger')).toMatchObject({ missing: [], parts: { 'jf.left': { n: r.n * 10 }, 'jf.right': { n: r.n + 1 } } });
    }
    expect(merges).toBe(runs.length);
    // What downstream consumers see: one merged event per run, no duplicate.
    const merged = await readTopic(fx.kafka, fx.names.event('jf.merged'), (rs) => rs.length >= runs.length);
    const byRun = new Map<string, number>();
    for (const rec of merged) byRun.set(decodeEnvelope(rec).runId, (byRun.get(decodeEnvelope(rec).runId) ?? 0) + 1);
    expect(merged).toHaveLength(runs.length);
    expect([...byRun.values()].every((c) => c === 1)).toBe(true);
    expect(payloadOf(decodeEnvelope(merged[0]!))).toMatchObject({ from: expect.stringMatching(/^jf\.(left|right)$/) });
  });

  it('keeps a partial join across a restart of the host, then runs once the other input arrives', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    await fx.store.createRun(tenant, { runId, workflow: 'join-flow', input: {}, status: 'running' });
    const first = await fx.host([joinFlow]);
    await producer.send([part(tenant, runId, 'jf.left', { n: 5 })]);
    // Nothing is emitted for a part that does not complete the join: watch the database.
    const deadline = Date.now() + 30_000;
    while (!(await fx.store.getJoin(tenant, runId, 'jf-merger')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await fx.stopHost(first);
    const partial = await fx.store.getJoin(tenant, runId, 'jf-merger');
    expect(partial).toMatchObject({ completedBy: null, missing: ['jf.right'], parts: { 'jf.left': { n: 5 } } });

    await fx.host([joinFlow]); // a new process: only the database remembers the first part
    await producer.send([part(tenant, runId, 'jf.right', { n: 7 })]);
    await fx.until('the joined run completed', () => fx.count(runId, 'run.completed') > 0);
    expect(await fx.store.getRun(tenant, runId)).toMatchObject({ status: 'completed', result: { sum: 12, from: 'jf.right' } });
    expect(fx.count(runId, 'step.completed', 'jf-merger')).toBe(1);
  });

  it('rejects a part that fails its schema when it arrives, naming the field, and fails the run at the join', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    await fx.store.createRun(tenant, { runId, workflow: 'join-flow', input: {}, status: 'running' });
    await producer.send([part(tenant, runId, 'jf.right', { n: 'seven' })]);
    await fx.until('the run failed', () => fx.count(runId, 'run.failed') > 0);
    const run = await fx.store.getRun(tenant, runId);
    expect(run).toMatchObject({ status: 'failed', failedStep: 'jf-merger' });
    expect(run?.error).toContain('input.jf.right.n: Invalid input: expected number, received string');
    expect(await fx.store.getJoin(tenant, runId, 'jf-merger')).toBeUndefined();
    const dead = await readTopic(fx.kafka, fx.names.dlq(agentGroup(fx.names, 'jf-merger')), (rs) => rs.some((r) => r.headers['weaver-run'] === runId));
    expect(dead.find((r) => r.headers['weaver-run'] === runId)?.headers['weaver-dlq-error-code']).toBe('INVALID_ARGUMENT');
  });
});
