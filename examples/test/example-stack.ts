import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentHost, AgentMemoryService, InProcessRunner, TenantGate, noTools, WorkflowCatalogue, type RunProgressNotice, type ToolsFactory } from '@weaver/agent-runtime';
import { createKafka, envelopeRecord, EnvelopeSealer, EventProducer, newEnvelope, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import type { LlmClient, Workflow } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { createTestDatabase, everyTenantExists, wordHashEmbedder, type TestDatabase } from '@weaver/testing';
import { TOOLS_MIGRATIONS, TOOLS_SCHEMA } from '@weaver/toolkit';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';


/**
 * Deterministic stand-in for the model, so results can be checked (the router path is covered
 * by the end-to-end tests): it answers with the first words of the system prompt and the prompt.
 */
export const scriptedLlm: LlmClient = llmClientFrom({
  generate: async (req) => ({
    text: `[${(req.system ?? '').split(' ').slice(0, 3).join(' ')}] ${req.prompt ?? ''}`,
    toolCalls: [],
    model: 'scripted',
    usage: { inputTokens: 1, outputTokens: 1 },
    costUsd: 0,
    replayed: false,
  }),
  // Deterministic embeddings, so examples' semantic and episodic memory search for real.
  embed: wordHashEmbedder(),
});

/** What an example replaces in the stack: its own scripted model, its MCP tools, its tenants' trigger keys. */
export interface ExampleStackOptions {
  llm?: LlmClient;
  tools?: ToolsFactory;
  tenants?: TenantGate;
}

/**
 * The examples' workflows running in this process on the real broker and database, as the
 * agent-runner would host them: its own topic namespace and database, one AgentHost, and an
 * InProcessRunner for `workflow.run(...)` as tenant `tenantId`.
 */
export class ExampleStack {
  readonly tenantId = randomUUID();
  /** Its own topic and group names (namespace) on the shared broker. */
  readonly names = new TopicNames(`test-${randomUUID().slice(0, 8)}`);
  readonly logger = createLogger('examples-test', { level: process.env['WEAVER_LOG_LEVEL'] ?? 'warn' });
  readonly results = new Map<string, unknown>();
  kafka!: KafkaConnection;
  store!: RunStore;
  host!: AgentHost;
  runner!: InProcessRunner;
  ds!: DataSource;
  private db?: TestDatabase & ServiceUrls;
  private producer?: EventProducer;

  async start(workflows: Workflow[], options: ExampleStackOptions = {}): Promise<this> {
    this.kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'examples-test' });
    this.db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }, { schema: TOOLS_SCHEMA, migrations: TOOLS_MIGRATIONS }]);
    this.ds = await createDataSource({ url: this.db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 6 }).initialize();
    this.store = new RunStore(this.ds);
    this.host = new AgentHost({
      names: this.names,
      kafka: this.kafka,
      catalogue: new WorkflowCatalogue(workflows),
      ledger: this.store,
      results: { put: async (r) => (this.results.set(`test://${r.runId}`, r.data), { uri: `test://${r.runId}` }) },
      llm: () => options.llm ?? scriptedLlm,
      memory: new AgentMemoryService({ ds: this.ds, metrics: new Metrics('examples'), sweepIntervalMs: 0 }),
      tools: options.tools ?? noTools(),
      logger: this.logger,
      metrics: new Metrics('examples'),
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 },
      tenants: options.tenants ?? new TenantGate(everyTenantExists),
    });
    await this.host.provision(2);
    await this.host.start();
    this.runner = new InProcessRunner({ host: this.host, kafka: this.kafka, runs: this.store, tenantId: this.tenantId });
    return this;
  }

  /** Resolves with the notice once `match` sees it (e.g. a scheduled run completing). */
  notice(match: (n: RunProgressNotice) => boolean, timeoutMs = 60_000): Promise<RunProgressNotice> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (stop(), reject(new Error('timed out waiting for a progress notice'))), timeoutMs);
      const stop = this.host.onProgress((n) => {
        if (!match(n)) return;
        clearTimeout(timer);
        stop();
        resolve(n);
      });
    });
  }

  /**
   * Starts a run the way any Kafka producer can (a `run.requested` envelope on the triggers
   * topic), here with the data labels `classification`; resolves with the run id.
   */
  async trigger(workflow: string, input: unknown, extra: { classification?: string[] } = {}): Promise<string> {
    const runId = randomUUID();
    await this.send(newEnvelope({ tenantId: this.tenantId, runId, workflow, type: 'run.requested', producer: 'examples-test', payload: { input }, classification: extra.classification }), this.names.triggers);
    return runId;
  }

  /**
   * Writes an event into a running run from outside its agents (a person's decision from an
   * approval screen, a webhook): the envelope on the event type's topic, keyed by run id.
   */
  async emit(runId: string, workflow: string, type: string, payload: unknown, producer = 'examples-test'): Promise<void> {
    await this.send(newEnvelope({ tenantId: this.tenantId, runId, workflow, type, producer, payload }), this.names.event(type));
  }

  /** The run's record once it completed or failed (polled: a notice may have passed before the call). */
  async finished(runId: string, timeoutMs = 60_000): Promise<NonNullable<Awaited<ReturnType<RunStore['getRun']>>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.store.getRun(this.tenantId, runId);
      if (run?.status === 'completed' || run?.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs} ms (status: ${run?.status ?? 'not recorded'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async send(envelope: ReturnType<typeof newEnvelope>, topic: string): Promise<void> {
    this.producer ??= new EventProducer(this.kafka);
    await this.producer.send(await new EnvelopeSealer().sealRecords([envelopeRecord(envelope, topic)]));
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.runner?.close();
    await this.host?.stop();
    await this.ds?.destroy();
    await this.db?.drop();
  }
}
