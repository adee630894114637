/**
 * The shape of agent memory (issue 9): the plan's four kinds, each with its limits. This file is
 * the contract between the SDK (`Memory(...)` parses the plan's spellings into a `MemorySpec`),
 * the runtime (which enforces the limits) and agents (`this.memory`). Types only.
 */

/** Normalised limits, as the runtime enforces them. Sizes in bytes, durations in milliseconds. */
export interface MemorySpec {
  /** The current run/task context: capped in items, expiring by TTL. */
  shortTerm: { maxItems: number; ttlMs: number };
  /** Per agent across runs (per tenant): capped in bytes. */
  longTerm: { maxBytes: number };
  /** Time-ordered experiences per agent: recall by time and by similarity; expiring by TTL. */
  episodic: { ttlMs: number; maxItems: number };
  /** Facts and documents embedded through the router, searched by similarity: capped in bytes. */
  semantic: { maxBytes: number };
}

/** Key-value memory (short-term and long-term). Values are any JSON. */
export interface KeyValueMemory {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys present (not expired), most recently written first. */
  keys(): Promise<string[]>;
}

export interface Episode<T = unknown> {
  id: string;
  /** What happened (embedded for similarity recall). */
  text: string;
  data?: T;
  at: Date;
}

export interface EpisodicMemory {
  /** Records an experience of this step (at the step's time). */
  record(text: string, data?: unknown): Promise<void>;
  /** Experiences in a time range, newest first. */
  recall(opts?: { since?: Date; until?: Date; limit?: number }): Promise<Episode[]>;
  /** Experiences most similar to `query` (by embedding), best first. */
  similar(query: string, opts?: { k?: number }): Promise<Array<Episode & { score: number }>>;
}

export interface SemanticHit {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Cosine similarity, 1 = same direction. */
  score: number;
}

export interface SemanticMemory {
  /** Embeds (through the router, billed to the step) and stores facts or documents. */
  remember(items: string | Array<string | { text: string; metadata?: Record<string, unknown> }>): Promise<void>;
  search(query: string, opts?: { k?: number }): Promise<SemanticHit[]>;
}

/**
 * `this.memory`. Writes made in a step become durable with that step's exactly-once outcome
 * (a redelivered step does not store them twice); a step reads its own writes at once.
 * `get`/`set` are short-term memory (the run's context).
 */
export interface AgentMemory extends Pick<KeyValueMemory, 'get' | 'set'> {
  shortTerm: KeyValueMemory;
  longTerm: KeyValueMemory;
  episodic: EpisodicMemory;
  semantic: SemanticMemory;
}
