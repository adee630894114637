import { POOL_PHASES } from './agent-pool.schema';
import { nextPoolPhase, POOL_TRANSITIONS } from './pool-phase';

describe('pool phase transitions', () => {
  it('every phase can be deleted, and Deleting is terminal', () => {
    for (const phase of POOL_PHASES) expect(nextPoolPhase(phase, 'deletionRequested', 'ns/p')).toBe('Deleting');
    expect(Object.keys(POOL_TRANSITIONS.Deleting)).toEqual(['deletionRequested']);
  });

  it('a new pool goes Pending → Reconciling → Ready, a failure to Degraded and back', () => {
    expect(nextPoolPhase('Pending', 'observed', 'ns/p')).toBe('Reconciling');
    expect(nextPoolPhase('Reconciling', 'applied', 'ns/p')).toBe('Ready');
    expect(nextPoolPhase('Ready', 'failed', 'ns/p')).toBe('Degraded');
    expect(nextPoolPhase('Degraded', 'applied', 'ns/p')).toBe('Ready');
  });

  it('refuses a move the table does not have, naming the pool', () => {
    expect(() => nextPoolPhase('Pending', 'applied', 'ns/p')).toThrow(/ns\/p: no transition from Pending on applied/);
    expect(() => nextPoolPhase('Deleting', 'observed', 'ns/p')).toThrow(/Deleting on observed/);
  });
});
