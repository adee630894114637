import type { AgentMemory, MemoryConfig } from '@weaver/sdk';

/** The key-value store a factory returns (issue 9 replaces it with the four kinds). */
export type KeyValueStore = Pick<AgentMemory, 'get' | 'set'>;
import { FailedPreconditionError } from '@weaver/errors';

/** `subjectId`: the run's data subject, whose key seals run-scoped memory (not agent-wide memory). */
export type MemoryFactory = (scope: { tenantId: string; runId: string; agent: string; subjectId?: string }) => KeyValueStore;

/** Runs share an agent's memory when it declares `memory: { kind: 'agent' }`. */
const AGENT_WIDE = '*';

/**
 * The memory a step gets, as the agent declared it: `run` (default) is scoped to the run,
 * `agent` is shared by all runs of the agent for that tenant, `none` refuses use, naming why.
 */
export function memoryFor(config: MemoryConfig, factory: MemoryFactory, scope: { tenantId: string; runId: string; agent: string; subjectId?: string }): AgentMemory {
  if (config.kind === 'agent') return withKinds(factory({ tenantId: scope.tenantId, runId: AGENT_WIDE, agent: scope.agent }));
  if (config.kind === 'run') return withKinds(factory(scope));
  const refuse = async (): Promise<never> => {
    throw new FailedPreconditionError(`agent "${scope.agent}" declared memory: { kind: 'none' }; declare kind 'run' or 'agent' to use this.memory`, { agent: scope.agent });
  };
  return withKinds({ get: refuse, set: refuse });
}

/** Interim (issue 9 in progress): the store as short-term memory; the other kinds refuse, naming why. */
function withKinds(kv: KeyValueStore): AgentMemory {
  const notYet = async (): Promise<never> => {
    throw new FailedPreconditionError('this memory kind is not available in this build');
  };
  const kvMemory = { ...kv, delete: notYet, keys: notYet };
  return { ...kv, shortTerm: kvMemory, longTerm: kvMemory, episodic: { record: notYet, recall: notYet, similar: notYet }, semantic: { remember: notYet, search: notYet } };
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
