import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentHost, AgentMemoryService, InProcessRunner, TenantGate, noTools, WorkflowCatalogue, type RunProgressNotice } from '@weaver/agent-runtime';
import { createKafka, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import type { LlmClient, Workflow } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { createTestDatabase, everyTenantExists, wordHashEmbedder, type TestDatabase } from '@weaver/testing';
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

  async start(workflows: Workflow[]): Promise<this> {
    this.kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'examples-test' });
    this.db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    this.ds = await createDataSource({ url: this.db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 6 }).initialize();
    this.store = new RunStore(this.ds);
    this.host = new AgentHost({
      names: this.names,
      kafka: this.kafka,
      catalogue: new WorkflowCatalogue(workflows),
      ledger: this.store,
      results: { put: async (r) => (this.results.set(`test://${r.runId}`, r.data), { uri: `test://${r.runId}` }) },
      llm: () => scriptedLlm,
      memory: new AgentMemoryService({ ds: this.ds, metrics: new Metrics('examples'), sweepIntervalMs: 0 }),
      tools: noTools(),
      logger: this.logger,
      metrics: new Metrics('examples'),
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 },
      tenants: new TenantGate(everyTenantExists),
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

  async stop(): Promise<void> {
    await this.runner?.close();
    await this.host?.stop();
    await this.ds?.destroy();
    await this.db?.drop();
  }
}
