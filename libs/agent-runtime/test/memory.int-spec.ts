import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { Metrics } from '@weaver/observability';
import { Agent, agent, Memory, Workflow, z } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { wordHashEmbedder } from '@weaver/testing';
import { AgentMemoryService, type RunLedger } from '../src';
import { echoLlm, RuntimeFixture } from './runtime-fixture';

const Input = z.object({ topic: z.string() });
type In = z.infer<typeof Input>;

/**
 * Writes every kind of memory and reads it back in the same step (the overlay), and what
 * earlier runs left (long-term counter, semantic search, episodic recall).
 */
@agent({ name: 'mem-learner', requires: ['mem.requested'], publishes: ['mem.learned'], input: Input })
class Learner extends Agent<In> {
  async process(input: In) {
    const seen = ((await this.memory.longTerm.get<number>('runs')) ?? 0) + 1;
    await this.memory.longTerm.set('runs', seen);
    await this.memory.set('topic', input.topic);
    await this.memory.episodic.record(`studied ${input.topic}`, { seen });
    await this.memory.semantic.remember([{ text: `${input.topic} is a research field`, metadata: { run: seen } }]);
    const hits = await this.memory.semantic.search(`research on ${input.topic}`, { k: 3 });
    const recalled = await this.memory.episodic.recall({ limit: 10 });
    const similar = await this.memory.episodic.similar(`studied ${input.topic}`, { k: 1 });
    return { seen, topic: await this.memory.get('topic'), hits: hits.map((h) => h.text), recalled: recalled.map((e) => e.text), similar: similar.map((e) => e.text) };
  }
}

const flow = new Workflow('mem-flow').addAgents(Learner);

/** Declares small limits (the SDK's Memory(...)): every run records one episode, only 2 are kept. */
@agent({ name: 'mem-diarist', requires: ['mem.noted'], publishes: ['mem.kept'], input: Input, memory: Memory({ episodic_items: 2 }) })
class Diarist extends Agent<In> {
  async process(input: In) {
    await this.memory.episodic.record(`noted ${input.topic}`);
    return { kept: (await this.memory.episodic.recall()).map((e) => e.text) };
  }
}

const diary = new Workflow('mem-diary').addAgents(Diarist);

/** Keeps a note across runs: what a restricted run stored raises the public run that reads it. */
@agent({ name: 'mem-keeper', requires: ['mem.kept-note'], publishes: ['mem.note'], input: Input })
class Keeper extends Agent<In> {
  async process(input: In) {
    const before = await this.memory.longTerm.get<string>('note');
    if (input.topic !== 'read') await this.memory.longTerm.set('note', input.topic);
    return { before: before ?? null };
  }
}

const notes = new Workflow('mem-notes').addAgents(Keeper);

describe('agent memory through the real broker and database', () => {
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

  const trigger = (tenantId: string, runId: string, topic: string, workflow: string, classification: string[] = []) =>
    envelopeRecord(newEnvelope({ tenantId, runId, workflow, type: 'run.requested', producer: 'test', payload: { input: { topic } }, classification }), fx.names.triggers);

  async function run(tenantId: string, topic: string, workflow = 'mem-flow', classification: string[] = []): Promise<Record<string, unknown>> {
    const runId = randomUUID();
    lastRun = runId;
    await producer.send([trigger(tenantId, runId, topic, workflow, classification)]);
    await fx.until(`run ${runId} completed`, () => fx.count(runId, 'run.completed') > 0 || fx.count(runId, 'run.failed') > 0);
    const stored = await fx.store.getRun(tenantId, runId);
    expect(stored).toMatchObject({ status: 'completed' });
    return stored!.result as Record<string, unknown>;
  }

  let lastRun = '';

  async function labelsOf(table: string, tenantId: string): Promise<string[][]> {
    const owner = new Client({ connectionString: fx.db.ownerUrl });
    await owner.connect();
    try {
      return (await owner.query<{ classification: string[] }>(`SELECT classification FROM runs.${table} WHERE tenant_id = $1 ORDER BY written_at`, [tenantId])).rows.map((r) => r.classification);
    } finally {
      await owner.end();
    }
  }

  async function count(table: string, tenantId: string): Promise<number> {
    const owner = new Client({ connectionString: fx.db.ownerUrl });
    await owner.connect();
    try {
      return (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs.${table} WHERE tenant_id = $1`, [tenantId])).rows[0]!.n;
    } finally {
      await owner.end();
    }
  }

  it('reads its own writes at once, and later runs (a restarted runner too) read what earlier runs stored', async () => {
    const tenant = randomUUID();
    const metrics = new Metrics('mem');
    const host = await fx.host([flow], { memory: new AgentMemoryService({ ds: fx.ds, metrics, sweepIntervalMs: 0 }) });
    const first = await run(tenant, 'safety');
    expect(first).toEqual({ seen: 1, topic: 'safety', hits: ['safety is a research field'], recalled: ['studied safety'], similar: ['studied safety'] });
    const second = await run(tenant, 'alignment');
    expect(second).toMatchObject({ seen: 2, topic: 'alignment', recalled: ['studied alignment', 'studied safety'], similar: ['studied alignment'] });
    expect(second['hits']).toEqual(expect.arrayContaining(['alignment is a research field', 'safety is a research field']));
    // The gauges come from the write path (no query of their own).
    const text = (await metrics.text()).body;
    expect(text).toMatch(new RegExp(`weaver_memory_items\\{tenant="${tenant}",agent="mem-learner",kind="semantic",service="mem"\\} 2`));
    expect(text).toMatch(new RegExp(`weaver_memory_items\\{tenant="${tenant}",agent="mem-learner",kind="long_term",service="mem"\\} 1`));

    // A new runner (new memory service: nothing loaded) reads the durable memory back.
    await fx.stopHost(host);
    const restarted = await fx.host([flow], { memory: new AgentMemoryService({ ds: fx.ds, metrics: new Metrics('mem2'), sweepIntervalMs: 0 }) });
    const third = await run(tenant, 'robustness');
    expect(third).toMatchObject({ seen: 3, recalled: ['studied robustness', 'studied alignment', 'studied safety'] });
    expect(third['hits']).toHaveLength(3);
    // Another tenant's agent starts from nothing.
    expect(await run(randomUUID(), 'safety')).toMatchObject({ seen: 1, recalled: ['studied safety'], hits: ['safety is a research field'] });
    await fx.stopHost(restarted);
  });

  it('labels memory with the writing step\'s classification and raises a step that reads it', async () => {
    const tenant = randomUUID();
    const host = await fx.host([notes], { memory: new AgentMemoryService({ ds: fx.ds, metrics: new Metrics('mem-labels'), sweepIntervalMs: 0 }) });
    try {
      await labelsFollowTheData(tenant);
    } finally {
      await fx.stopHost(host);
    }
  });

  /** A restricted run's note raises a public run that reads it; a run that reads nothing stays public. */
  async function labelsFollowTheData(tenant: string): Promise<void> {
    await run(tenant, 'merger plans', 'mem-notes', ['restricted', 'pci']);
    expect(await labelsOf('memory_long_term', tenant)).toEqual([['restricted', 'pci']]);
    expect(fx.storedLabels.get(`test://${tenant}/${lastRun}/mem-keeper`)).toEqual(['restricted', 'pci']);
    // A public run that reads the note: its result is at least as classified as the note.
    expect(await run(tenant, 'read', 'mem-notes', ['public'])).toEqual({ before: 'merger plans' });
    expect(fx.storedLabels.get(`test://${tenant}/${lastRun}/mem-keeper`)).toEqual(['restricted', 'pci']);
    // A public run that reads nothing stored stays public.
    const other = randomUUID();
    expect(await run(other, 'read', 'mem-notes', ['public'])).toEqual({ before: null });
    expect(fx.storedLabels.get(`test://${other}/${lastRun}/mem-keeper`)).toEqual(['public']);
  }

  it("enforces the agent's declared limits, evicting the oldest episodes, and counts the evictions", async () => {
    const tenant = randomUUID();
    const metrics = new Metrics('mem-limits');
    const host = await fx.host([diary], { memory: new AgentMemoryService({ ds: fx.ds, metrics, sweepIntervalMs: 0 }) });
    for (const topic of ['one', 'two', 'three']) await run(tenant, topic, 'mem-diary');
    // The fourth step sees its own new episode and the two stored (the third evicted "one"; its own write evicts "two").
    expect(await run(tenant, 'four', 'mem-diary')).toEqual({ kept: ['noted four', 'noted three', 'noted two'] });
    expect(await count('memory_episodic', tenant)).toBe(2);
    const text = (await metrics.text()).body;
    expect(text).toMatch(new RegExp(`weaver_memory_evictions_total\\{tenant="${tenant}",agent="mem-diarist",kind="episodic",service="mem-limits"\\} 2`));
    expect(text).toMatch(new RegExp(`weaver_memory_items\\{tenant="${tenant}",agent="mem-diarist",kind="episodic",service="mem-limits"\\} 2`));
    await fx.stopHost(host);
  });

  it('stores the memory of a step redelivered after its database commit once (the crash before the Kafka commit)', async () => {
    const tenant = randomUUID();
    let crashes = 0;
    // The ledger commits the step (and its memory) and then "crashes" once before the offset
    // commit: the broker redelivers, process runs again and makes the same writes again.
    const s = fx.store;
    const ledger: RunLedger = {
      createRun: s.createRun.bind(s),
      markRunning: s.markRunning.bind(s),
      completeRun: s.completeRun.bind(s),
      failRun: s.failRun.bind(s),
      declineStep: s.declineStep.bind(s),
      arriveAtJoin: s.arriveAtJoin.bind(s),
      recordStep: async (...args) => {
        const result = await s.recordStep(...args);
        if (args[0] === tenant && crashes++ === 0) throw new Error('crashed after the database commit');
        return result;
      },
    };
    const embed = wordHashEmbedder();
    const host = await fx.host([flow], { ledger, llm: () => llmClientFrom({ generate: echoLlm.generate, embed }) });
    const result = await run(tenant, 'safety');
    expect(crashes).toBe(2); // the first delivery and the redelivery both reached the ledger
    expect(embed.calls).toBeGreaterThanOrEqual(2 * 4); // process ran twice (remember, search, record, similar each embed)
    expect(result).toMatchObject({ seen: 1 });
    expect({ episodes: await count('memory_episodic', tenant), facts: await count('memory_semantic', tenant), long: await count('memory_long_term', tenant), short: await count('memory_short_term', tenant) }).toEqual({
      episodes: 1,
      facts: 1,
      long: 1,
      short: 1,
    });
    // The redelivery read runs = 1 and wrote 2 in its overlay: not stored (its step was recorded before).
    expect((await fx.memory.reader.get({ kind: 'long_term', tenantId: tenant, agent: 'mem-learner' }, 'runs'))?.value).toBe(1);
    await fx.stopHost(host);
  });
});
