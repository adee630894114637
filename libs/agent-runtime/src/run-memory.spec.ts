import { FailedPreconditionError } from '@weaver/errors';
import { MEMORY_DEFAULTS } from '@weaver/sdk';
import { memoryFor, processMemory } from './run-memory';

describe('memoryFor (interim, until the memory runtime replaces it)', () => {
  const tenantId = '6c2b1f0e-9d8a-4b7c-8e6f-5a4b3c2d1e0f';
  const scope = (runId: string) => ({ tenantId, runId, agent: 'analyst' });

  it('scopes short-term memory to the run and long-term memory to all runs of the agent', async () => {
    const factory = processMemory();
    await memoryFor(MEMORY_DEFAULTS, factory, scope('r1')).set('k', 1);
    expect(await memoryFor(MEMORY_DEFAULTS, factory, scope('r1')).shortTerm.get('k')).toBe(1);
    expect(await memoryFor(MEMORY_DEFAULTS, factory, scope('r2')).get('k')).toBeUndefined();
    await memoryFor(MEMORY_DEFAULTS, factory, scope('r1')).longTerm.set('seen', ['r1']);
    expect(await memoryFor(MEMORY_DEFAULTS, factory, scope('r2')).longTerm.get('seen')).toEqual(['r1']);
    expect(await memoryFor(MEMORY_DEFAULTS, factory, scope('r2')).get('seen')).toBeUndefined();
  });

  it('refuses the kinds this build does not have yet, saying so', async () => {
    const memory = memoryFor(MEMORY_DEFAULTS, processMemory(), scope('r1'));
    await expect(memory.semantic.search('x')).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(memory.episodic.record('x')).rejects.toThrow('this memory kind is not available in this build');
  });
});
