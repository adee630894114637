import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentHost, AgentMemoryService, TenantGate, noTools, WorkflowCatalogue, type RunProgressNotice } from '@weaver/agent-runtime';
import { WeaverError } from '@weaver/errors';
import { createKafka, decodeEnvelope, EventProducer, readTopicsToEnd, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, TriggerOutbox } from '@weaver/runs';
import { Agent, agent, Workflow, type LlmClient } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { createTestDatabase, everyTenantExists, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { gatewayTriggerId, RunService, TriggerRelay, TriggerSender } from '../src';

/** This file's topic and group names; set once its namespace is known. */
let names = new TopicNames();

@agent({ name: 'greeter', requires: ['greeting.requested'], publishes: ['greeting.sent'] })
class Greeter extends Agent<{ name: string }> {
  async process({ name }: { name: string }) {
    return { greeting: `hello ${name}` };
  }
}
const greetings = new Workflow('greetings').addAgents(Greeter);
const llm: LlmClient = llmClientFrom({ generate: async () => ({ text: '', toolCalls: [], model: 'none', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) });

/**
 * The gateway's intake on the real broker and database when the trigger cannot be written: the
 * namespace's topics do not exist yet (a fresh installation whose topics are not provisioned,
 * so the broker answers UNKNOWN_TOPIC_OR_PARTITION), then they do. No run may stay pending,
 * and each run's trigger reaches the dispatcher exactly once.
 */
describe('gateway intake when the trigger send fails (real broker and PostgreSQL)', () => {
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  const tenant = randomUUID();
  const logger = createLogger('run-api-test', { level: process.env['WEAVER_LOG_LEVEL'] ?? 'warn' });
  const notices: RunProgressNotice[] = [];
  let kafka: KafkaConnection;
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let runnerDs: DataSource;
  let store: RunStore;
  let outbox: TriggerOutbox;
  let producer: EventProducer;
  let sender: TriggerSender;
  let runs: RunService;
  let host: AgentHost | undefined;
  const retried = randomUUID(); // its client retries
  const abandoned = randomUUID(); // its client never comes back

  beforeAll(async () => {
    names = new TopicNames(namespace);
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'run-api-test' });
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    // The gateway's side (intake, outbox, relay) and the runner's (dispatcher, steps), each as its own role.
    ds = await createDataSource({ url: db.urlOf('gateway'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize();
    runnerDs = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize();
    store = new RunStore(ds);
    outbox = new TriggerOutbox(ds, { leaseMs: 60_000 });
    producer = new EventProducer(kafka, undefined, { retries: 1 });
    sender = new TriggerSender(outbox, producer, { topicFor: () => names.triggers, sendTimeoutMs: 10_000, retryAfterMs: 200, logger });
    runs = new RunService(store, outbox, sender);
  });
  afterAll(async () => {
    await host?.stop();
    await sender?.close();
    await producer?.disconnect();
    await ds?.destroy();
    await runnerDs?.destroy();
    await db?.drop();
  });

  const until = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const count = (runId: string, kind: string) => notices.filter((n) => n.runId === runId && n.kind === kind).length;
  const triggersOf = async (runId: string) => (await readTopicsToEnd(kafka, [names.triggers])).map((r) => decodeEnvelope(r)).filter((e) => e.runId === runId);
  const entryEventsOf = async (runId: string) => (await readTopicsToEnd(kafka, [names.event('greeting.requested')])).map((r) => decodeEnvelope(r)).filter((e) => e.runId === runId);

  it('answers UNAVAILABLE naming the cause, and keeps the run pending with its trigger in the outbox', async () => {
    for (const runId of [retried, abandoned]) {
      const error = await runs.start(tenant, { workflow: 'greetings', input: { name: runId.slice(0, 4) }, runId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WeaverError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retriable: true, details: { runId } });
      expect((error as Error).message).toContain(`run ${runId} is recorded (pending) but its trigger was not written to Kafka: This server does not host this topic-partition`);
      expect((error as Error).message).toContain('Retry with the same runId');
      expect(await store.getRun(tenant, runId)).toMatchObject({ status: 'pending', workflow: 'greetings' });
      expect(await outbox.entry(tenant, runId)).toMatchObject({ state: 'waiting', attempts: 1, lastError: 'This server does not host this topic-partition' });
    }
  });

  it('repeats the send when the client retries with the same run id; the run completes from one trigger', async () => {
    host = new AgentHost({
      names,
      kafka,
      catalogue: new WorkflowCatalogue([greetings]),
      ledger: new RunStore(runnerDs),
      results: { put: async (r) => ({ uri: `test://${r.runId}` }) },
      llm: () => llm,
      memory: new AgentMemoryService({ ds: runnerDs, metrics: new Metrics('t'), sweepIntervalMs: 0 }),
      tools: noTools(),
      tenants: new TenantGate(everyTenantExists),
      logger,
      metrics: new Metrics('t'),
    });
    host.onProgress((n) => notices.push(n));
    await host.provision(2); // the topics exist from now on
    await host.start();

    const again = await runs.start(tenant, { workflow: 'greetings', input: { name: 'ignored: the run keeps its recorded input' }, runId: retried });
    expect(again).toMatchObject({ created: false, run: { runId: retried, status: 'pending' } });
    await until('the retried run completed', () => count(retried, 'run.completed') > 0);
    expect(await store.getRun(tenant, retried)).toMatchObject({ status: 'completed', result: { greeting: `hello ${retried.slice(0, 4)}` } });

    // A retry after the run moved on sends nothing more.
    expect(await runs.start(tenant, { workflow: 'greetings', input: {}, runId: retried })).toMatchObject({ created: false, run: { status: 'completed' } });
    await sender.close(); // the acknowledgement is written off the request's path
    expect(await outbox.entry(tenant, retried)).toBeUndefined();
    const triggers = await triggersOf(retried);
    expect(triggers.map((t) => t.id)).toEqual([gatewayTriggerId(tenant, retried)]);
    expect((await entryEventsOf(retried)).map((e) => e.id)).toEqual([`${gatewayTriggerId(tenant, retried)}:entry`]);
    expect(count(retried, 'run.started')).toBe(1);
  });

  it('re-sends by itself when the client never retries (the relay), from the recorded run', async () => {
    expect(await store.getRun(tenant, abandoned)).toMatchObject({ status: 'pending' });
    const relay = new TriggerRelay(outbox, sender, { intervalMs: 100, logger });
    relay.start();
    try {
      await until('the abandoned run completed', () => count(abandoned, 'run.completed') > 0);
    } finally {
      await relay.stop();
    }
    await sender.close();
    expect(await store.getRun(tenant, abandoned)).toMatchObject({ status: 'completed', result: { greeting: `hello ${abandoned.slice(0, 4)}` } });
    expect(await outbox.entry(tenant, abandoned)).toBeUndefined();
    expect((await triggersOf(abandoned)).map((t) => t.id)).toEqual([gatewayTriggerId(tenant, abandoned)]);
    expect(count(abandoned, 'run.started')).toBe(1);
  });

  it('sends once when a client retry and the relay race for the trigger of a gateway that died mid-send', async () => {
    const orphan = randomUUID();
    // What a gateway that crashed right after recording leaves behind: the run, and an entry whose lease ran out.
    const crashed = new TriggerOutbox(ds, { leaseMs: 0 });
    expect(await crashed.recordRun(tenant, { runId: orphan, workflow: 'greetings', input: { name: 'orphan' } })).toEqual({ created: true });
    const relay = new TriggerRelay(outbox, sender, { intervalMs: 60_000, logger });
    const [retry, sweep] = await Promise.allSettled([runs.start(tenant, { workflow: 'greetings', input: {}, runId: orphan }), relay.sweep()]);
    expect(sweep.status).toBe('fulfilled');
    // Whichever claimed the entry first sent it; the other found it held (the retry hears
    // UNAVAILABLE and would retry) or no longer due (the relay sweeps nothing).
    if (retry.status === 'fulfilled') expect(retry.value.created).toBe(false);
    else expect(String(retry.reason)).toContain('its trigger is being sent by another request');
    await until('the orphaned run completed', () => count(orphan, 'run.completed') > 0);
    await sender.close();
    expect((await triggersOf(orphan)).map((t) => t.id)).toEqual([gatewayTriggerId(tenant, orphan)]);
    expect(count(orphan, 'run.started')).toBe(1);
    expect(await outbox.entry(tenant, orphan)).toBeUndefined();
  });

  it('records concurrent intakes together, and a run id submitted twice at once only once', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const submitted = [...ids, ids[0]!].map((runId) => outbox.recordRun(tenant, { runId, workflow: 'greetings', input: { name: runId.slice(0, 4) }, classification: ['internal'] }));
    const created = (await Promise.all(submitted)).map((r) => r.created);
    expect(created.slice(1, 3)).toEqual([true, true]);
    expect([created[0], created[3]].sort()).toEqual([false, true]); // the same run: recorded once
    for (const runId of ids) {
      expect(await store.getRun(tenant, runId)).toMatchObject({ status: 'pending', classification: ['internal'], input: { name: runId.slice(0, 4) } });
      expect(await outbox.entry(tenant, runId)).toMatchObject({ state: 'sending', due: false, attempts: 1 });
    }
  });
});
