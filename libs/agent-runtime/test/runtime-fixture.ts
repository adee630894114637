import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createKafka, readTopicsUntil, TopicNames, type InboundRecord, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics, type Logger } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import type { LlmClient, Workflow } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { createTestDatabase, everyTenantExists, wordHashEmbedder, type TestDatabase } from '@weaver/testing';
import { AgentHost, AgentMemoryService, TenantGate, noTools, WorkflowCatalogue, type AgentHostOptions, type ResultSink, type RunProgressNotice } from '../src';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { TOOLS_MIGRATIONS, TOOLS_SCHEMA } from '@weaver/toolkit';

/** Deterministic stand-in for the model, with a word-hash embedder (the router has its own tests). */
export const echoLlm: LlmClient = llmClientFrom({
  generate: async (req) => ({ text: `echo: ${req.prompt ?? ''}`, toolCalls: [], model: 'echo', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false }),
  embed: wordHashEmbedder(),
});

/**
 * One test file's share of the real broker and database: its own topic namespace (so files run
 * side by side on one broker), its own database, and hosts it stops at the end. Every
 * progress notice of every host lands in `notices`; `until` waits on them, without polling.
 */
export class RuntimeFixture {
  readonly namespace = `test-${randomUUID().slice(0, 8)}`;
  /** This file's topic and group names (its own namespace on the shared broker). */
  readonly names = new TopicNames(this.namespace);
  readonly logger: Logger = createLogger('agent-runtime-test', { level: process.env['WEAVER_LOG_LEVEL'] ?? 'warn' });
  readonly notices: RunProgressNotice[] = [];
  readonly stored = new Map<string, unknown>();
  kafka!: KafkaConnection;
  db!: TestDatabase & ServiceUrls;
  ds!: DataSource;
  store!: RunStore;
  /** Durable agent memory over this file's database (the sweep is called by tests that need it). */
  memory!: AgentMemoryService;
  private readonly hosts = new Set<AgentHost>();
  private waiters: Array<() => void> = [];

  /** The classification each stored result was put with. */
  readonly storedLabels = new Map<string, string[]>();

  readonly results: ResultSink = {
    put: async (r) => {
      const uri = `test://${r.tenantId}/${r.runId}/${r.step}`;
      this.stored.set(uri, r.data);
      this.storedLabels.set(uri, [...(r.classification ?? [])]);
      return { uri };
    },
  };

  async open(): Promise<this> {
    // kafkajs reports every rebalance of a test's second host at error level; show it only on request.
    const kafkaLogs = process.env['WEAVER_LOG_LEVEL'] ? this.logger : undefined;
    this.kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'agent-runtime-test', logger: kafkaLogs });
    this.db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }, { schema: TOOLS_SCHEMA, migrations: TOOLS_MIGRATIONS }]);
    this.ds = await createDataSource({ url: this.db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 8 }).initialize();
    this.store = new RunStore(this.ds);
    this.memory = new AgentMemoryService({ ds: this.ds, metrics: new Metrics('t'), sweepIntervalMs: 0 });
    return this;
  }

  /** A started host for these workflows (topics provisioned), stopped by `close` unless stopped before. */
  async host(workflows: Workflow[], overrides: Partial<AgentHostOptions> = {}): Promise<AgentHost> {
    const host = new AgentHost({
      kafka: this.kafka,
      names: this.names,
      catalogue: new WorkflowCatalogue(workflows),
      ledger: this.store,
      results: this.results,
      llm: () => echoLlm,
      memory: this.memory,
      tools: noTools(),
      logger: this.logger,
      metrics: new Metrics('t'),
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 },
      tenants: new TenantGate(everyTenantExists),
      ...overrides,
    });
    host.onProgress((n) => {
      this.notices.push(n);
      for (const wake of this.waiters.splice(0)) wake();
    });
    await host.provision(3);
    await host.start();
    this.hosts.add(host);
    return host;
  }

  async stopHost(host: AgentHost): Promise<void> {
    this.hosts.delete(host);
    await host.stop();
  }

  /** Resolves once `done(notices)` holds; fails naming `what` after the timeout. */
  async until(what: string, done: (notices: RunProgressNotice[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.notices)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.notices.length} progress notices so far)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** How many times a run reached `kind` (optionally at `step`). */
  count(runId: string, kind: RunProgressNotice['kind'], step?: string): number {
    return this.notices.filter((n) => n.runId === runId && n.kind === kind && (step === undefined || n.step === step)).length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.hosts].map((h) => h.stop()));
    await this.ds?.destroy();
    await this.db?.drop();
  }
}

/**
 * Reads a topic from the beginning as a read-committed consumer (what downstream consumers
 * see) until `enough(records)` holds, then on to its end at that moment, so a duplicate
 * committed by then would still show.
 */
export function readTopic(kafka: KafkaConnection, topic: string, enough: (records: readonly InboundRecord[]) => boolean, timeoutMs = 30_000): Promise<InboundRecord[]> {
  return readTopicsUntil(kafka, [topic], enough, timeoutMs);
}
