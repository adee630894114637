import { conditionsFor, sameStatus } from './pool-conditions';

describe('pool conditions', () => {
  const t1 = new Date('2026-01-01T00:00:00Z');
  const t2 = new Date('2026-01-01T00:05:00Z');

  it('keeps lastTransitionTime while a condition keeps its status, so a resync writes nothing', () => {
    const first = conditionsFor(undefined, { phase: 'Ready', generation: 1 }, t1);
    const again = conditionsFor(first, { phase: 'Ready', generation: 1 }, t2);
    expect(again).toEqual(first);
    expect(sameStatus({ phase: 'Ready', conditions: [...first].reverse() }, { phase: 'Ready', conditions: again })).toBe(true);
  });

  it('Degraded carries the reason and message and flips Ready', () => {
    const ready = conditionsFor(undefined, { phase: 'Ready', generation: 1 }, t1);
    const degraded = conditionsFor(ready, { phase: 'Degraded', generation: 2, reason: 'ApplyNotFound', message: 'no ScaledObject kind' }, t2);
    expect(degraded.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'ApplyNotFound', message: 'no ScaledObject kind', lastTransitionTime: '2026-01-01T00:05:00Z', observedGeneration: 2 });
    expect(degraded.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ApplyNotFound' });
  });
});
