import { Metrics } from '@weaver/observability';
import { createBreaker } from './circuit-breaker';
import { BreakerOpenError } from './breaker-open.error';
import type { BreakerState } from './breaker-state';

const fail = (): Promise<never> => Promise.reject(new Error('boom'));
const nextState = (b: { onStateChange(l: (s: BreakerState) => void): void }): Promise<BreakerState> =>
  new Promise((resolve) => b.onStateChange(resolve));

describe('createBreaker', () => {
  it('opens after the threshold, refuses calls, half-opens after the reset timeout and closes on success', async () => {
    const metrics = new Metrics('resilience-test');
    const b = createBreaker('ep-a', { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 40 }, metrics);
    expect(b.state).toBe('closed');
    await expect(b.run(fail)).rejects.toThrow('boom');
    await expect(b.run(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('open');
    let called = false;
    await expect(b.run(async () => (called = true))).rejects.toBeInstanceOf(BreakerOpenError);
    expect(called).toBe(false);
    expect((await metrics.text()).body).toContain('weaver_circuit_breaker_state{breaker="ep-a",service="resilience-test"} 2');

    expect(await nextState(b)).toBe('half-open');
    expect((await metrics.text()).body).toContain('weaver_circuit_breaker_state{breaker="ep-a",service="resilience-test"} 1');
    await expect(b.run(async () => 'ok')).resolves.toBe('ok');
    expect(b.state).toBe('closed');
    expect((await metrics.text()).body).toContain('weaver_circuit_breaker_state{breaker="ep-a",service="resilience-test"} 0');
    b.shutdown();
  });

  it('goes back to open when the half-open trial fails', async () => {
    const b = createBreaker('ep-b', { volumeThreshold: 1, resetTimeoutMs: 30 });
    await expect(b.run(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('open');
    expect(await nextState(b)).toBe('half-open');
    await expect(b.run(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('open');
    b.shutdown();
  });

  it('does not count caller errors as failures', async () => {
    const b = createBreaker('ep-c', { volumeThreshold: 1, isCallerError: (e) => (e as Error).message === 'bad request' });
    for (let i = 0; i < 5; i++) await expect(b.run(() => Promise.reject(new Error('bad request')))).rejects.toThrow('bad request');
    expect(b.state).toBe('closed');
    b.shutdown();
  });
});
