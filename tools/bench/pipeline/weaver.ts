/**
 * Weaver's side of the pipeline benchmark: the content pipeline (researcher → writer →
 * reviewer) hosted by one AgentHost on the durable exactly-once path — RunStore on PostgreSQL
 * (runs and write-once step records), progress events on `weaver.runs.v1`, run completion —
 * with a model that answers at once. Steps are timed when a read-committed consumer of the
 * progress topic sees them, i.e. when a user of the platform could.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentHost, AgentMemoryService, TenantGate, noTools, WorkflowCatalogue, type ResultSink } from '../../../libs/agent-runtime/src';
import type { PayloadCipher } from '../../../libs/crypto/src';
import { createKafka, decodeEnvelope, envelopeRecord, EnvelopeSealer, EventProducer, newEnvelope, TopicNames, TopicTail, type KafkaConnection } from '../../../libs/messaging/src';
import type { Logger } from '../../../libs/observability/src';
import { Metrics } from '../../../libs/observability/src';
import { RunStore } from '../../../libs/runs/src';
import type { LlmClient, Workflow } from '../../../libs/sdk/src';
import { llmClientFrom } from '../../../libs/sdk/src/internal';
import { everyTenantExists } from '../../../libs/testing/src/tenant-keys';
import { RunClock } from './stats';

/** This file's topic and group names; set once its namespace is known. */
let names = new TopicNames();

export const instantLlm: LlmClient = llmClientFrom({
  generate: async (req) => ({ text: `ok: ${(req.prompt ?? '').slice(0, 40)}`, toolCalls: [], model: 'instant', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false }),
});

export interface WeaverPipelineOptions {
  brokers: string;
  ds: DataSource;
  workflow: Workflow;
  partitions: number;
  logger: Logger;
  llm?: LlmClient;
  stepsPerRun: number;
  /**
   * Per-tenant envelope encryption as the agent-runner runs it (issue 8): step records, run
   * input/result and every Kafka payload sealed. Unset: plaintext (the issue-7 baseline).
   */
  cipher?: PayloadCipher;
}

export class WeaverPipeline {
  readonly tenantId = randomUUID();
  readonly clock: RunClock;
  private kafka!: KafkaConnection;
  private host!: AgentHost;
  private tail!: TopicTail;
  private producer!: EventProducer;
  readonly stored = new Map<string, unknown>();

  constructor(private readonly opts: WeaverPipelineOptions) {
    this.clock = new RunClock(opts.stepsPerRun);
  }

  async start(): Promise<void> {
    names = new TopicNames(`bench-${randomUUID().slice(0, 8)}`);
    this.kafka = createKafka({ brokers: [this.opts.brokers], clientId: 'bench-weaver' });
    const results: ResultSink = { put: async (r) => (this.stored.set(`${r.runId}`, r.data), { uri: `bench://${r.runId}` }) };
    const llm = this.opts.llm ?? instantLlm;
    this.host = new AgentHost({
      names,
      kafka: this.kafka,
      catalogue: new WorkflowCatalogue([this.opts.workflow]),
      ledger: new RunStore(this.opts.ds, { cipher: this.opts.cipher }),
      sealer: new EnvelopeSealer(this.opts.cipher),
      results,
      llm: () => llm,
      memory: new AgentMemoryService({ ds: this.opts.ds, cipher: this.opts.cipher, metrics: new Metrics('bench-memory'), sweepIntervalMs: 0 }),
      tools: noTools(),
      // The steady-state check of a trigger's tenant (a cache hit), as in the agent-runner.
      tenants: new TenantGate(everyTenantExists),
      logger: this.opts.logger,
      metrics: new Metrics('bench'),
    });
    await this.host.provision(this.opts.partitions);
    this.tail = new TopicTail(this.kafka, names.runs, (record) => {
      const now = Date.now();
      const env = decodeEnvelope(record);
      // The envelope type is the progress kind (the payload may be sealed).
      const kind = env.type;
      if (kind === 'run.started') this.clock.markStart(env.runId, now);
      else if (kind === 'step.completed') this.clock.markStep(env.runId, now);
      else if (kind === 'run.failed') process.stderr.write(`run ${env.runId} failed\n`);
    }, this.opts.logger);
    await this.tail.start();
    this.producer = new EventProducer(this.kafka);
    await this.producer.connect();
    await this.host.start();
  }

  /** Writes one trigger per run, in one produce request; returns the run ids. */
  async send(count: number, sentAt: (i: number) => number = () => Date.now()): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    const records = ids.map((runId, i) => {
      this.clock.markSent(runId, sentAt(i));
      return envelopeRecord(newEnvelope({ tenantId: this.tenantId, runId, workflow: this.opts.workflow.name, type: 'run.requested', producer: 'bench', payload: { input: { topic: `bench ${i}` } } }), names.triggers);
    });
    await this.producer.send(records);
    return ids;
  }

  get inFlight(): number {
    return this.host.inFlight;
  }

  async stop(): Promise<void> {
    await this.host.stop();
    await this.tail.stop();
    await this.producer.disconnect();
  }
}
