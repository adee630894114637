import type { MemorySpec } from '@weaver/sdk';
import type { MemoryCaps } from '@weaver/runs';

const MINUTE = 60_000;

/**
 * The plan's default limits (`max_short_term_items` 100, `max_long_term_mb` 1024,
 * `ttl_minutes` 60) and, where the plan names none, ours: episodic keeps 7 days and at most
 * 10,000 episodes, semantic at most 1 GB (docs/memory.md).
 */
export const DEFAULT_MEMORY_SPEC: MemorySpec = {
  shortTerm: { maxItems: 100, ttlMs: 60 * MINUTE },
  longTerm: { maxBytes: 1024 * 1024 * 1024 },
  episodic: { ttlMs: 7 * 24 * 60 * MINUTE, maxItems: 10_000 },
  semantic: { maxBytes: 1024 * 1024 * 1024 },
};

const isSpec = (m: unknown): m is MemorySpec => typeof m === 'object' && m !== null && 'shortTerm' in m && 'longTerm' in m && 'episodic' in m && 'semantic' in m;

/**
 * The limits an agent's definition gives (`AgentDefinition.memory`, a MemorySpec once the SDK's
 * `Memory(...)` parsed it); the defaults for a definition that declares none.
 */
export function memorySpecOf(declared: unknown): MemorySpec {
  return isSpec(declared) ? declared : DEFAULT_MEMORY_SPEC;
}

export const capsOf = (spec: MemorySpec): MemoryCaps => ({
  shortTermItems: spec.shortTerm.maxItems,
  longTermBytes: spec.longTerm.maxBytes,
  episodicItems: spec.episodic.maxItems,
  semanticBytes: spec.semantic.maxBytes,
});
