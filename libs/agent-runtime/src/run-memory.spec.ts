import { FailedPreconditionError } from '@weaver/errors';
import { memoryFor, processMemory } from './run-memory';

describe('memoryFor', () => {
  const tenantId = '6c2b1f0e-9d8a-4b7c-8e6f-5a4b3c2d1e0f';
  const scope = (runId: string) => ({ tenantId, runId, agent: 'analyst' });

  it('scopes run memory to the run and agent memory to all runs of the agent', async () => {
    const factory = processMemory();
    await memoryFor({ kind: 'run' }, factory, scope('r1')).set('k', 1);
    expect(await memoryFor({ kind: 'run' }, factory, scope('r1')).get('k')).toBe(1);
    expect(await memoryFor({ kind: 'run' }, factory, scope('r2')).get('k')).toBeUndefined();
    await memoryFor({ kind: 'agent' }, factory, scope('r1')).set('seen', ['r1']);
    expect(await memoryFor({ kind: 'agent' }, factory, scope('r2')).get('seen')).toEqual(['r1']);
    expect(await memoryFor({ kind: 'run' }, factory, scope('r2')).get('seen')).toBeUndefined();
  });

  it('refuses memory to an agent that declared none, saying how to enable it', async () => {
    const memory = memoryFor({ kind: 'none' }, processMemory(), scope('r1'));
    await expect(memory.get('k')).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(memory.set('k', 1)).rejects.toThrow(`agent "analyst" declared memory: { kind: 'none' }; declare kind 'run' or 'agent' to use this.memory`);
  });
});
