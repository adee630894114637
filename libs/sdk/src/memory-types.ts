/**
 * The shape of agent memory (issue 9): the plan's four kinds, each with its limits. This file is
 * the contract between the SDK (`Memory(...)` parses the plan's spellings into a `MemorySpec`),
 * the runtime (which enforces the limits) and agents (`this.memory`). Types only.
 */

/** Normalised limits, as the runtime enforces them. Sizes in bytes, durations in milliseconds. */
export interface MemorySpec {
  /** The current run/task context: capped in items, expiring by TTL. */
  shortTerm: {
    /** Items kept (the oldest go first). */
    maxItems: number;
    /** How long an item lives. */
    ttlMs: number;
  };
  /** Per agent across runs (per tenant): capped in bytes. */
  longTerm: {
    /** Bytes stored per agent and tenant. */
    maxBytes: number;
  };
  /** Time-ordered experiences per agent: recall by time and by similarity; expiring by TTL. */
  episodic: {
    /** How long an experience lives. */
    ttlMs: number;
    /** Experiences kept. */
    maxItems: number;
  };
  /** Facts and documents embedded through the router, searched by similarity: capped in bytes. */
  semantic: {
    /** Bytes of facts and documents stored. */
    maxBytes: number;
  };
}

/** Key-value memory (short-term and long-term). Values are any JSON. */
export interface KeyValueMemory {
  /** The value under `key`, or undefined (missing or expired). */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key` (durable with the step). */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
  /** Keys present (not expired), most recently written first. */
  keys(): Promise<string[]>;
}

/** One recorded experience. */
export interface Episode<T = unknown> {
  /** Its id. */
  id: string;
  /** What happened (embedded for similarity recall). */
  text: string;
  /** Data recorded with it. */
  data?: T;
  /** When it happened (the step's time). */
  at: Date;
}

/** Time-ordered experiences of an agent, recalled by time or similarity. */
export interface EpisodicMemory {
  /** Records an experience of this step (at the step's time). */
  record(text: string, data?: unknown): Promise<void>;
  /** Experiences in a time range, newest first. */
  recall(opts?: { since?: Date; until?: Date; limit?: number }): Promise<Episode[]>;
  /** Experiences most similar to `query` (by embedding), best first. */
  similar(query: string, opts?: { k?: number }): Promise<ScoredEpisode[]>;
}

/** An experience found by similarity. */
export interface ScoredEpisode extends Episode {
  /** Cosine similarity to the query, 1 = same direction. */
  score: number;
}

/** A fact or document found by `search`. */
export interface SemanticHit {
  /** Its id. */
  id: string;
  /** The text stored. */
  text: string;
  /** The metadata stored with it. */
  metadata: Record<string, unknown>;
  /** Cosine similarity, 1 = same direction. */
  score: number;
}

/** Facts and documents of an agent, searched by similarity. */
export interface SemanticMemory {
  /** Embeds (through the router, billed to the step) and stores facts or documents. */
  remember(items: string | Array<string | { text: string; metadata?: Record<string, unknown> }>): Promise<void>;
  /** The `k` (default 5) stored items most similar to `query`, best first. */
  search(query: string, opts?: { k?: number }): Promise<SemanticHit[]>;
}

/**
 * `this.memory`. Writes made in a step become durable with that step's exactly-once outcome
 * (a redelivered step does not store them twice); a step reads its own writes at once.
 * `get`/`set` are short-term memory (the run's context).
 */
export interface AgentMemory {
  /** Short-term memory's `get`. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Short-term memory's `set`. */
  set(key: string, value: unknown): Promise<void>;
  /** The current run's context (items capped, expiring). */
  shortTerm: KeyValueMemory;
  /** Per agent across runs (bytes capped). */
  longTerm: KeyValueMemory;
  /** Experiences, recalled by time or similarity. */
  episodic: EpisodicMemory;
  /** Facts and documents, searched by similarity. */
  semantic: SemanticMemory;
}
