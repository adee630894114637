import type { AgentMemory, AgentTools } from '@weaver/sdk';
import { NotFoundError } from '@weaver/errors';

/**
 * Process-local memory per (tenant, run, agent). Not durable: a restarted runner starts empty.
 * Durable memory is a later issue; this keeps `this.memory` usable meanwhile.
 */
export function processMemory(): (scope: { tenantId: string; runId: string; agent: string }) => AgentMemory {
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

/** No tools configured: listing is empty and calling names the missing tool. */
export function noTools(): (agent: string) => AgentTools {
  return (agent) => ({
    list: async () => [],
    call: async (name: string) => {
      throw new NotFoundError('tool', `${name} (agent ${agent} has no tools configured)`);
    },
  });
}
