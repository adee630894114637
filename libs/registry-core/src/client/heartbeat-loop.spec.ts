import { runHeartbeats, type HeartbeatReport, type HeartbeatTransport } from './heartbeat-loop';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** An in-memory registry side for the loop: records calls and lets the test script answers. */
class ScriptedRegistry implements HeartbeatTransport {
  readonly beats: HeartbeatReport[] = [];
  deregistered = 0;
  drain = false;
  failNextBeat = false;
  failDeregister = false;
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly deregisteredSignal = deferred();
  /** Resolves at the first successful deregistration. */
  readonly deregisteredOnce = this.deregisteredSignal.promise;

  async heartbeat(report: HeartbeatReport): Promise<{ health: 'healthy' | 'draining'; drain: boolean }> {
    this.beats.push(report);
    this.waiters = this.waiters.filter((w) => (this.beats.length >= w.count ? (w.resolve(), false) : true));
    if (this.failNextBeat) {
      this.failNextBeat = false;
      throw new Error('registry unavailable');
    }
    return { health: this.drain ? 'draining' : 'healthy', drain: this.drain };
  }

  async deregister(): Promise<void> {
    if (this.failDeregister) {
      this.failDeregister = false;
      throw new Error('deregister failed');
    }
    this.deregistered++;
    this.deregisteredSignal.resolve();
  }

  /** Resolves once `more` further heartbeats have arrived. */
  next(more = 1): Promise<void> {
    const count = this.beats.length + more;
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

describe('runHeartbeats', () => {
  it('reports what the instance is doing at every beat, and stops when told', async () => {
    const registry = new ScriptedRegistry();
    let inFlight = 0;
    const stop = runHeartbeats(registry, { intervalMs: 10, report: () => ({ inFlight: inFlight++, partitions: [{ topic: 't', partition: 0 }] }), onDrain: async () => undefined });
    await registry.next(3);
    await stop();
    const seen = registry.beats.length;
    expect(registry.beats.slice(0, 3).map((b) => b.inFlight)).toEqual([0, 1, 2]);
    await new Promise((r) => setTimeout(r, 40));
    expect(registry.beats.length).toBe(seen);
    expect(registry.deregistered).toBe(0);
  });

  it('keeps beating through errors', async () => {
    const registry = new ScriptedRegistry();
    const errors: unknown[] = [];
    registry.failNextBeat = true;
    const stop = runHeartbeats(registry, { intervalMs: 10, report: () => ({ inFlight: 0, partitions: [] }), onDrain: async () => undefined, onError: (e) => errors.push(e) });
    await registry.next(2);
    await stop();
    expect(errors).toEqual([new Error('registry unavailable')]);
  });

  it('on drain: runs onDrain once while still beating, then deregisters and stops', async () => {
    const registry = new ScriptedRegistry();
    const finish = deferred();
    const drainStarted = deferred();
    let drains = 0;
    const stop = runHeartbeats(registry, {
      intervalMs: 10,
      report: () => ({ inFlight: 1, partitions: [] }),
      onDrain: async () => {
        drains++;
        drainStarted.resolve();
        await finish.promise;
      },
    });
    await registry.next(1);
    registry.drain = true;
    await drainStarted.promise;
    await registry.next(3); // a drainer that went silent would be declared dead
    expect(drains).toBe(1);
    expect(registry.deregistered).toBe(0);
    finish.resolve();
    await stop();
    const seen = registry.beats.length;
    expect(registry.deregistered).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(registry.beats.length).toBe(seen);
  });

  it('retries a failed deregistration without draining twice', async () => {
    const registry = new ScriptedRegistry();
    registry.drain = true;
    registry.failDeregister = true;
    const errors: unknown[] = [];
    let drains = 0;
    const stop = runHeartbeats(registry, {
      intervalMs: 10,
      report: () => ({ inFlight: 0, partitions: [] }),
      onDrain: async () => void drains++,
      onError: (e) => errors.push(e),
    });
    await registry.deregisteredOnce;
    await stop();
    expect({ drains, deregistered: registry.deregistered, errors }).toEqual({ drains: 1, deregistered: 1, errors: [new Error('deregister failed')] });
  });

  it('refuses a nonsensical interval', () => {
    expect(() => runHeartbeats(new ScriptedRegistry(), { intervalMs: 0, report: () => ({ inFlight: 0, partitions: [] }), onDrain: async () => undefined })).toThrow('intervalMs: must be an integer >= 10');
  });
});
