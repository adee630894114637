import type { DataSource } from 'typeorm';
import type { PayloadCipher } from '@weaver/crypto';
import type { Logger, Metrics } from '@weaver/observability';
import { MemoryReader, MemorySweeper, type MemoryCommit } from '@weaver/runs';
import type { LlmClient, MemorySpec } from '@weaver/sdk';
import { buildInBackground, defaultVectorIndex, ExactIndex, type VectorIndexFactory } from '@weaver/vector-index';
import { MemoryIndexes, type BulkIndexBuild } from './memory-indexes';
import { MemoryMetrics } from './memory-metrics';
import { StepMemory, type StepMemoryScope } from './step-memory';

/** What the step executor needs of agent memory (AgentMemoryService implements it). */
export interface MemoryProvider {
  /** `this.memory` for one step: its writes go to `recordStep` via `StepMemory.writes()`. */
  forStep(scope: StepMemoryScope, spec: MemorySpec, llm: LlmClient): StepMemory;
  /** The step's record was first written with its memory: loaded indexes and metrics learn of it. */
  committed(tenantId: string, memory: StepMemory, commit: MemoryCommit): void;
}

export interface AgentMemoryOptions {
  ds: DataSource;
  cipher?: PayloadCipher;
  metrics: Metrics;
  logger?: Logger;
  /** The vector index implementation (default: usearch HNSW, chosen by tools/bench/memory.ts). */
  indexFactory?: VectorIndexFactory;
  /** First loads of many rows are built off the event loop with this (default: buildInBackground; null: in place). */
  bulkBuild?: BulkIndexBuild | null;
  /** Indexes kept loaded at once (least recently used evicted). Default 64. */
  maxLoadedIndexes?: number;
  /** How often expired rows are swept (0: never; tests call `sweep()`). Default 60 s. */
  sweepIntervalMs?: number;
}

export const exactIndexFactory: VectorIndexFactory = (dimensions) => new ExactIndex(dimensions);

/**
 * Agent memory in a runner: the four kinds over PostgreSQL (MemoryReader for reads, writes
 * with the step record), the loaded vector indexes, the periodic sweep of expired rows, and
 * the metrics. One per process, shared by every agent it hosts.
 */
export class AgentMemoryService implements MemoryProvider {
  readonly reader: MemoryReader;
  private readonly indexes: MemoryIndexes;
  private readonly metrics: MemoryMetrics;
  private readonly sweeper: MemorySweeper;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly opts: AgentMemoryOptions) {
    this.reader = new MemoryReader(opts.ds, opts.cipher);
    this.metrics = new MemoryMetrics(opts.metrics);
    this.indexes = new MemoryIndexes(this.reader, opts.indexFactory ?? defaultVectorIndex, opts.maxLoadedIndexes ?? 64, (n) => this.metrics.indexesLoaded(n), opts.bulkBuild === null ? undefined : (opts.bulkBuild ?? buildInBackground));
    this.sweeper = new MemorySweeper(opts.ds);
  }

  forStep(scope: StepMemoryScope, spec: MemorySpec, llm: LlmClient): StepMemory {
    return new StepMemory(scope, spec, llm, this.reader, this.indexes);
  }

  committed(tenantId: string, memory: StepMemory, commit: MemoryCommit): void {
    if (!memory.wrote) return;
    const agent = memory.agent;
    const v = memory.vectors();
    this.indexes.added(tenantId, agent, 'episodic', commit.episodeIds.map((id, i) => ({ id, vector: v.episodic[i]! })));
    this.indexes.added(tenantId, agent, 'semantic', commit.factIds.map((id, i) => ({ id, vector: v.semantic[i]! })));
    for (const e of commit.evictions) {
      if (e.kind === 'episodic' || e.kind === 'semantic') this.indexes.forget(tenantId, e.agent, e.kind, e.ids);
      this.metrics.evicted(tenantId, e.agent, e.kind, e.items);
    }
    this.metrics.usage(tenantId, commit.usage);
  }

  /** Starts the periodic sweep (unref'd: it never keeps the process alive). */
  start(): void {
    const every = this.opts.sweepIntervalMs ?? 60_000;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.opts.logger?.warn({ err: String(error) }, 'memory sweep failed; the next one retries'))
        .finally(() => (this.sweeping = undefined));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** One bounded sweep of expired short-term and episodic rows (every tenant). */
  async sweep(): Promise<void> {
    const { expired, usage } = await this.sweeper.sweepOnce();
    for (const e of expired) this.metrics.expiredItems(e.tenantId, e.agent, e.kind, e.items);
    for (const u of usage) this.metrics.usage(u.tenantId, [u]);
  }
}
