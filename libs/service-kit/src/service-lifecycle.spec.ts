import { FailedPreconditionError } from '@weaver/errors';
import { LIFECYCLE_TRANSITIONS, ServiceLifecycle, type LifecycleState } from './service-lifecycle';

const STATES = Object.keys(LIFECYCLE_TRANSITIONS) as LifecycleState[];

/** A lifecycle moved along `path` from starting. */
function at(...path: LifecycleState[]): ServiceLifecycle {
  const lifecycle = new ServiceLifecycle();
  for (const state of path) lifecycle.transition(state);
  return lifecycle;
}

const PATH_TO: Record<LifecycleState, LifecycleState[]> = { starting: [], ready: ['ready'], draining: ['ready', 'draining'], stopped: ['ready', 'draining', 'stopped'] };

describe('ServiceLifecycle transitions', () => {
  it('goes starting → ready → draining → stopped, serving only while ready', () => {
    const lifecycle = new ServiceLifecycle();
    const seen: Array<[LifecycleState, boolean]> = [[lifecycle.state, lifecycle.serving]];
    for (const to of ['ready', 'draining', 'stopped'] as const) {
      lifecycle.transition(to);
      seen.push([lifecycle.state, lifecycle.serving]);
    }
    expect(seen).toEqual([['starting', false], ['ready', true], ['draining', false], ['stopped', false]]);
  });

  it.each(STATES.flatMap((from) => STATES.map((to) => [from, to] as const)))('%s → %s follows the table', (from, to) => {
    const lifecycle = at(...PATH_TO[from]);
    if (LIFECYCLE_TRANSITIONS[from].includes(to)) {
      lifecycle.transition(to);
      expect(lifecycle.state).toBe(to);
    } else {
      expect(() => lifecycle.transition(to)).toThrow(FailedPreconditionError);
      expect(lifecycle.state).toBe(from);
    }
  });

  it('allows a drain before the start finished and a failed start, never a way back', () => {
    expect(at('draining').state).toBe('draining');
    expect(at('stopped').state).toBe('stopped');
    expect(LIFECYCLE_TRANSITIONS.stopped).toEqual([]);
    expect(() => at('ready', 'draining').transition('ready')).toThrow('illegal transition draining → ready');
  });
});

describe('ServiceLifecycle workers and resources', () => {
  it('starts workers in order, stops them in reverse once, closes resources in reverse order of opening', async () => {
    const lifecycle = new ServiceLifecycle();
    const events: string[] = [];
    const worker = (name: string) => ({ start: () => void events.push(`start ${name}`), stop: async () => void events.push(`stop ${name}`) });
    const pool = lifecycle.own('database', { name: 'pool' }, () => events.push('close database'));
    lifecycle.work('relay', worker('relay'));
    lifecycle.own('producer', 'producer', async () => events.push('close producer'));
    lifecycle.work('consumer', worker('consumer'));

    await lifecycle.startWorkers();
    await lifecycle.stopWorkers();
    await lifecycle.stopWorkers();
    await lifecycle.closeResources();
    await lifecycle.closeResources();

    expect(pool).toEqual({ name: 'pool' });
    expect(events).toEqual(['start relay', 'start consumer', 'stop consumer', 'stop relay', 'close producer', 'close database']);
  });

  it('stops only the workers that started when a start fails', async () => {
    const lifecycle = new ServiceLifecycle();
    const events: string[] = [];
    lifecycle.work('first', { start: () => void events.push('start first'), stop: () => void events.push('stop first') });
    lifecycle.work('broken', { start: () => Promise.reject(new Error('no broker')), stop: () => void events.push('stop broken') });

    await expect(lifecycle.startWorkers()).rejects.toThrow('no broker');
    await lifecycle.stopWorkers();

    expect(events).toEqual(['start first', 'stop first']);
  });

  it('attempts every close when one fails, then names the failing resource', async () => {
    const lifecycle = new ServiceLifecycle();
    const closed: string[] = [];
    lifecycle.own('database', 1, () => closed.push('database'));
    lifecycle.own('producer', 2, () => Promise.reject(new Error('broker gone')));
    lifecycle.own('client', 3, () => closed.push('client'));

    await expect(lifecycle.closeResources()).rejects.toThrow('closing producer failed: broker gone');
    expect(closed).toEqual(['client', 'database']);
  });
});
