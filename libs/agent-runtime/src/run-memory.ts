import type { AgentMemory, MemorySpec } from '@weaver/sdk';

/** The key-value store a factory returns (issue 9 replaces it with the four kinds). */
export type KeyValueStore = Pick<AgentMemory, 'get' | 'set'>;
import { FailedPreconditionError } from '@weaver/errors';

/** `subjectId`: the run's data subject, whose key seals run-scoped memory (not agent-wide memory). */
export type MemoryFactory = (scope: { tenantId: string; runId: string; agent: string; subjectId?: string }) => KeyValueStore;

/** Long-term memory is shared by all runs of the agent (per tenant). */
const AGENT_WIDE = '*';

/**
 * Interim (issue 9 in progress; the memory runtime replaces this and enforces `_spec`'s limits):
 * short-term memory (and `get`/`set`) is the run's store, long-term the agent-wide one; the
 * other kinds refuse, naming why.
 */
export function memoryFor(_spec: MemorySpec, factory: MemoryFactory, scope: { tenantId: string; runId: string; agent: string; subjectId?: string }): AgentMemory {
  const notYet = async (): Promise<never> => {
    throw new FailedPreconditionError('this memory kind is not available in this build');
  };
  const run = factory(scope);
  const kv = (store: KeyValueStore) => ({ ...store, delete: notYet, keys: notYet });
  return { ...run, shortTerm: kv(run), longTerm: kv(factory({ tenantId: scope.tenantId, runId: AGENT_WIDE, agent: scope.agent })), episodic: { record: notYet, recall: notYet, similar: notYet }, semantic: { remember: notYet, search: notYet } };
}

/**
 * Process-local memory per (tenant, run, agent). Not durable: a restarted runner starts empty.
 * Durable memory is a later issue; this keeps `this.memory` usable meanwhile.
 */
export function processMemory(): MemoryFactory {
  const stores = new Map<string, Map<string, unknown>>();
  return ({ tenantId, runId, agent }) => {
    const key = `${tenantId}/${runId}/${agent}`;
    const store = stores.get(key) ?? new Map<string, unknown>();
    stores.set(key, store);
    return {
      get: async <T>(k: string) => store.get(k) as T | undefined,
      set: async (k: string, v: unknown) => void store.set(k, v),
    };
  };
}
