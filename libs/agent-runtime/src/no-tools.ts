import type { AgentTools } from '@weaver/sdk';
import { NotFoundError } from '@weaver/errors';

/** No tools configured: listing is empty and calling names the missing tool. */
export function noTools(): (agent: string) => AgentTools {
  return (agent) => ({
    list: async () => [],
    call: async (name: string) => {
      throw new NotFoundError('tool', `${name} (agent ${agent} has no tools configured)`);
    },
  });
}
