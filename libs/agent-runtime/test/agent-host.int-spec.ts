import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createKafka, envelopeRecord, EventProducer, newEnvelope, setTopicNamespace, Topics, type Kafka } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource, runMigrations } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import type { LlmClient } from '@weaver/sdk';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { contentPipeline } from '@weaver/examples';
import { AgentHost, noTools, processMemory, WorkflowCatalogue, type ResultSink } from '../src';

const logger = createLogger('agent-host-test', { level: process.env['WEAVER_LOG_LEVEL'] ?? 'warn' });

/** Test double for the model: deterministic text derived from the prompt (the router has its own tests). */
const echoLlm: LlmClient = {
  generate: async (req) => ({ text: `fact 1 about ${req.prompt}\nfact 2\nfact 3`, toolCalls: [], model: 'echo', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false }),
};

describe('AgentHost runs the content pipeline on the real broker and database', () => {
  let kafka: Kafka;
  let db: TestDatabase;
  let ds: DataSource;
  let host: AgentHost;
  const stored = new Map<string, unknown>();
  const results: ResultSink = {
    put: async (r) => {
      const uri = `test://${r.tenantId}/${r.runId}/${r.step}`;
      stored.set(uri, r.data);
      return { uri };
    },
  };

  beforeAll(async () => {
    setTopicNamespace(`test-${randomUUID().slice(0, 8)}`); // own topics and groups: files run side by side
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'agent-host-test', logger });
    db = await createTestDatabase();
    await runMigrations({ url: db.ownerUrl, schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, appRole: { password: 'weaver_app_test' } });
    ds = await createDataSource({ url: db.appUrl, schema: RUNS_SCHEMA }).initialize();
    host = new AgentHost({
      kafka,
      catalogue: new WorkflowCatalogue([contentPipeline]),
      ledger: new RunStore(ds),
      results,
      llm: () => echoLlm,
      memory: processMemory(),
      tools: noTools(),
      logger,
      metrics: new Metrics('t'),
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 },
    });
    await host.provision(3);
    await host.start();
  });

  afterAll(async () => {
    await host?.stop();
    await ds?.destroy();
    await db?.drop();
  });

  it('completes runs with one step per agent and the reviewer result, and fails a run with bad input naming the field', async () => {
    const tenant = randomUUID();
    const store = new RunStore(ds);
    const producer = new EventProducer(kafka);
    const runIds = Array.from({ length: 20 }, () => randomUUID());
    const trigger = (runId: string, input: unknown) =>
      envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'test', payload: { input } }), Topics.triggers);
    const bad = randomUUID();
    await producer.send([...runIds.map((id, i) => trigger(id, { topic: `topic ${i}` })), trigger(bad, { topic: '' })]);

    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      const runs = await Promise.all(runIds.map((id) => store.getRun(tenant, id)));
      done = runs.filter((r) => r?.status === 'completed').length;
      const failed = await store.getRun(tenant, bad);
      if (done === runIds.length && failed?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(done).toBe(runIds.length);
    const run = await store.getRun(tenant, runIds[3]!);
    expect(run?.steps.map((s) => s.step)).toEqual(['researcher', 'writer', 'reviewer']);
    expect(run?.result).toMatchObject({ topic: 'topic 3', approved: true });
    expect(stored.get(run!.resultUri!)).toEqual(run?.result);
    const failed = await store.getRun(tenant, bad);
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'researcher' });
    expect(failed?.error).toContain('input.topic');
    await producer.disconnect();
  });
});
