import type { MemorySpec } from '@weaver/sdk';
import type { MemoryCaps } from '@weaver/runs';

/** The limits of an agent's MemorySpec (the SDK's `Memory(...)`), as the write path checks them. */
export const capsOf = (spec: MemorySpec): MemoryCaps => ({
  shortTermItems: spec.shortTerm.maxItems,
  longTermBytes: spec.longTerm.maxBytes,
  episodicItems: spec.episodic.maxItems,
  semanticBytes: spec.semantic.maxBytes,
});
