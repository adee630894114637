import type { AgentMemory, Episode, EpisodicMemory, KeyValueMemory, LlmClient, MemorySpec, SemanticHit, SemanticMemory } from '@weaver/sdk';
import { ValidationError } from '@weaver/errors';
import { joinWire } from '@weaver/governance';
import { vectorBytes, type KvScope, type MemoryReader, type StepMemoryWrites } from '@weaver/runs';
import type { MemoryIndexes } from './memory-indexes';
import { capsOf } from './memory-spec';
import { assertFits, assertKey, jsonValue, utf8Bytes } from './memory-size';

export interface StepMemoryScope {
  tenantId: string;
  runId: string;
  agent: string;
  /** When the step started: episodes are recorded at it, TTLs count from it. */
  at: Date;
  /**
   * Told the classification of every stored item the step reads, so the step (its later model
   * and tool calls, its outputs, what it writes) is raised to it: derived data is never
   * labelled lower than what it was derived from.
   */
  raise?: (classification: readonly string[]) => void;
}

/** Pending key-value state of a step: a value, or deleted. */
type Pending = { value: unknown; json: string } | { deleted: true };

interface PendingVector {
  text: string;
  vector: Float32Array;
  bytes: number;
}

const DEFAULT_RECALL = 20;
const DEFAULT_K = 5;

/**
 * `this.memory` for one step: an overlay over the durable memory. Writes stay in the step
 * (reads see them at once) until `writes()` hands them to `recordStep`, which applies them in
 * the transaction that records the step — only on its first write, so a redelivered step
 * stores nothing twice (docs/memory.md, "exactly once"). Embeddings are made here, during
 * `process`, through the step's LlmClient (the router bills them to the step).
 */
export class StepMemory implements AgentMemory {
  private readonly short = new Map<string, Pending>();
  private readonly long = new Map<string, Pending>();
  private readonly episodes: Array<PendingVector & { data?: unknown; dataJson?: string }> = [];
  private readonly facts: Array<PendingVector & { metadata: Record<string, unknown> }> = [];

  readonly shortTerm: KeyValueMemory;
  readonly longTerm: KeyValueMemory;
  readonly episodic: EpisodicMemory;
  readonly semantic: SemanticMemory;

  constructor(
    private readonly scope: StepMemoryScope,
    private readonly spec: MemorySpec,
    private readonly llm: LlmClient,
    private readonly reader: Pick<MemoryReader, 'get' | 'keys' | 'recall' | 'episodes' | 'facts'>,
    private readonly indexes: Pick<MemoryIndexes, 'search' | 'forget'>,
  ) {
    const { tenantId, runId, agent } = scope;
    this.shortTerm = this.kv(this.short, { kind: 'short_term', tenantId, runId, agent });
    this.longTerm = this.kv(this.long, { kind: 'long_term', tenantId, agent });
    this.episodic = { record: (t, d) => this.record(t, d), recall: (o) => this.recall(o), similar: (q, o) => this.similarEpisodes(q, o) };
    this.semantic = { remember: (items) => this.remember(items), search: (q, o) => this.search(q, o) };
  }

  get<T = unknown>(key: string): Promise<T | undefined> {
    return this.shortTerm.get<T>(key);
  }

  set(key: string, value: unknown): Promise<void> {
    return this.shortTerm.set(key, value);
  }

  /** The agent whose memory this is. */
  get agent(): string {
    return this.scope.agent;
  }

  /** Whether the step wrote anything. */
  get wrote(): boolean {
    return this.short.size + this.long.size + this.episodes.length + this.facts.length > 0;
  }

  /**
   * What this step wrote, for `recordStep` (undefined when nothing: the step pays nothing
   * extra); every item takes `classification`, the step's at its end.
   */
  writes(classification: readonly string[]): StepMemoryWrites | undefined {
    if (!this.wrote) return undefined;
    const at = this.scope.at.getTime();
    const kvBytes = (key: string, p: Pending): number => ('deleted' in p ? 0 : utf8Bytes(key) + utf8Bytes(p.json));
    const entry = (p: Pending) => ('deleted' in p ? { value: null, deleted: true } : { value: p.value });
    return {
      agent: this.scope.agent,
      classification,
      caps: capsOf(this.spec),
      shortTerm: [...this.short].map(([key, p]) => ({ key, ...entry(p), bytes: kvBytes(key, p), expiresAt: new Date(at + this.spec.shortTerm.ttlMs) })),
      longTerm: [...this.long].map(([key, p]) => ({ key, ...entry(p), bytes: kvBytes(key, p) })),
      episodes: this.episodes.map((e) => ({ at: this.scope.at, text: e.text, data: e.data, embedding: vectorBytes(e.vector), dims: e.vector.length, bytes: e.bytes, expiresAt: new Date(at + this.spec.episodic.ttlMs) })),
      facts: this.facts.map((f) => ({ text: f.text, metadata: f.metadata, embedding: vectorBytes(f.vector), dims: f.vector.length, bytes: f.bytes })),
    };
  }

  /** The vectors of this step's episodes and facts, in write order (added to loaded indexes once committed). */
  vectors(): { episodic: Float32Array[]; semantic: Float32Array[] } {
    return { episodic: this.episodes.map((e) => e.vector), semantic: this.facts.map((f) => f.vector) };
  }

  private kv(pending: Map<string, Pending>, scope: KvScope): KeyValueMemory {
    const field = (key: string) => `memory.${scope.kind === 'short_term' ? 'shortTerm' : 'longTerm'}.${key}`;
    return {
      get: async <T>(key: string): Promise<T | undefined> => {
        assertKey(field('key'), key);
        const p = pending.get(key);
        if (p) return 'deleted' in p ? undefined : (structuredClone(p.value) as T);
        const stored = await this.reader.get(scope, key);
        if (stored) this.read([stored]);
        return stored?.value as T | undefined;
      },
      set: async (key: string, value: unknown): Promise<void> => {
        assertKey(field('key'), key);
        const v = jsonValue(field(key), value);
        if (scope.kind === 'long_term') assertFits('longTerm.maxBytes', this.spec.longTerm.maxBytes, utf8Bytes(key) + utf8Bytes(v.json), `long-term memory item "${key}"`);
        pending.delete(key); // re-inserted last: the most recently written
        pending.set(key, v);
      },
      delete: async (key: string): Promise<void> => {
        assertKey(field('key'), key);
        pending.delete(key);
        pending.set(key, { deleted: true });
      },
      keys: async (): Promise<string[]> => {
        const stored = (await this.reader.keys(scope)).filter((k) => !pending.has(k));
        const mine = [...pending].filter(([, p]) => !('deleted' in p)).map(([k]) => k).reverse();
        return [...mine, ...stored];
      },
    };
  }

  private async embed(texts: string[], field: string): Promise<Float32Array[]> {
    texts.forEach((t, i) => {
      if (typeof t !== 'string' || !t.trim()) throw new ValidationError([{ field: `${field}[${i}]`, rule: 'must be a non-empty string' }], 'memory write');
    });
    const { vectors } = await this.llm.embed({ input: texts });
    if (vectors.length !== texts.length) throw new Error(`embedding returned ${vectors.length} vectors for ${texts.length} inputs`);
    return vectors.map((v) => Float32Array.from(v));
  }

  private async record(text: string, data?: unknown): Promise<void> {
    const d = data === undefined ? undefined : jsonValue('memory.episodic.data', data);
    const [vector] = await this.embed([text], 'memory.episodic.text');
    this.episodes.push({ text, vector: vector!, data: d?.value, dataJson: d?.json, bytes: utf8Bytes(text) + utf8Bytes(d?.json ?? '') + 4 * vector!.length });
  }

  private async recall(opts: { since?: Date; until?: Date; limit?: number } = {}): Promise<Episode[]> {
    const limit = opts.limit ?? DEFAULT_RECALL;
    const inRange = (at: Date) => (!opts.since || at >= opts.since) && (!opts.until || at <= opts.until);
    const mine = this.episodes.map((e, i) => ({ id: `pending:${i}`, text: e.text, ...(e.data === undefined ? {} : { data: e.data }), at: this.scope.at })).filter((e) => inRange(e.at));
    const stored = this.read(await this.reader.recall(this.scope.tenantId, this.scope.agent, { ...opts, limit })).map(({ classification: _, ...e }) => ({ ...e, id: String(e.id) }));
    return [...mine.reverse(), ...stored].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  }

  private async similarEpisodes(query: string, opts: { k?: number } = {}): Promise<Array<Episode & { score: number }>> {
    const k = opts.k ?? DEFAULT_K;
    const [q] = await this.embed([query], 'memory.episodic.similar.query');
    const hits = await this.stored('episodic', q!, k, (ids) => this.reader.episodes(this.scope.tenantId, this.scope.agent, ids));
    const mine = this.episodes.map((e, i) => ({ id: `pending:${i}`, text: e.text, ...(e.data === undefined ? {} : { data: e.data }), at: this.scope.at, score: cosine(q!, e.vector) }));
    return [...hits.map(({ row: { classification: _, ...row }, score }) => ({ ...row, id: String(row.id), score })), ...mine].sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** Raises the step to what it read (see StepMemoryScope.raise); returns the items. */
  private read<R extends { classification: string[] }>(items: R[]): R[] {
    if (items.length) this.scope.raise?.(joinWire(...items.map((i) => i.classification)));
    return items;
  }

  private async remember(items: string | Array<string | { text: string; metadata?: Record<string, unknown> }>): Promise<void> {
    const list = (Array.isArray(items) ? items : [items]).map((i) => (typeof i === 'string' ? { text: i, metadata: {} } : { text: i.text, metadata: i.metadata ?? {} }));
    const metadata = list.map((i, n) => jsonValue(`memory.semantic[${n}].metadata`, i.metadata));
    const vectors = await this.embed(list.map((i) => i.text), 'memory.semantic');
    list.forEach((item, n) => {
      const bytes = utf8Bytes(item.text) + utf8Bytes(metadata[n]!.json) + 4 * vectors[n]!.length;
      assertFits('semantic.maxBytes', this.spec.semantic.maxBytes, bytes, `semantic memory item ${n}`);
      this.facts.push({ text: item.text, metadata: metadata[n]!.value as Record<string, unknown>, vector: vectors[n]!, bytes });
    });
  }

  private async search(query: string, opts: { k?: number } = {}): Promise<SemanticHit[]> {
    const k = opts.k ?? DEFAULT_K;
    const [q] = await this.embed([query], 'memory.semantic.search.query');
    const hits = await this.stored('semantic', q!, k, (ids) => this.reader.facts(this.scope.tenantId, this.scope.agent, ids));
    const mine = this.facts.map((f, i) => ({ id: `pending:${i}`, text: f.text, metadata: structuredClone(f.metadata), score: cosine(q!, f.vector) }));
    return [...hits.map(({ row, score }) => ({ id: String(row.id), text: row.text, metadata: row.metadata, score })), ...mine].sort((a, b) => b.score - a.score).slice(0, k);
  }

  /**
   * The k best stored rows: the loaded index (caught up first) asked for twice k, rows read by
   * id; ids whose row is gone (evicted or expired by another replica) leave the index.
   */
  private async stored<R extends { id: bigint; classification: string[] }>(kind: 'episodic' | 'semantic', q: Float32Array, k: number, read: (ids: bigint[]) => Promise<R[]>): Promise<Array<{ row: R; score: number }>> {
    const { tenantId, agent } = this.scope;
    const hits = await this.indexes.search(tenantId, agent, kind, q, 2 * k);
    const rows = new Map((await read(hits.map((h) => h.key))).map((r) => [r.id, r]));
    const gone = hits.filter((h) => !rows.has(h.key)).map((h) => h.key);
    if (gone.length) this.indexes.forget(tenantId, agent, kind, gone);
    const best = hits.flatMap((h) => (rows.has(h.key) ? [{ row: rows.get(h.key)!, score: h.score }] : [])).slice(0, k);
    this.read(best.map((b) => b.row));
    return best;
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new ValidationError([{ field: 'embedding', rule: `has ${a.length} dimensions, the memory's vectors ${b.length} (was the embedding model changed?)` }], 'memory search');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}
