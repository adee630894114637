import { FailedPreconditionError } from '@weaver/errors';

/**
 * The life of one service process, as a transition table (checked on every move):
 *
 *   starting → ready      the servers listen and every worker runs
 *   starting → draining   SIGTERM before the start finished
 *   starting → stopped    the start failed (what was opened is closed)
 *   ready → draining      SIGTERM: readiness answers 503 at once, then the drain window, then
 *                         workers hand back their work and the servers finish in-flight calls
 *   draining → stopped    every resource is closed, in reverse order of opening
 */
export type LifecycleState = 'starting' | 'ready' | 'draining' | 'stopped';

export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  starting: ['ready', 'draining', 'stopped'],
  ready: ['draining'],
  draining: ['stopped'],
  stopped: [],
};

/**
 * Long-running work owned by the service (Kafka consumers, relays, sweeps): started once every
 * provider exists, stopped at drain — stop fetching, finish and commit what is in flight, leave
 * consumer groups — before the servers close.
 */
export interface LifecycleWorker {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

interface Named<T> {
  name: string;
  value: T;
}

/**
 * The one lifecycle of a service (injected by class, made by bootstrapService): providers
 * register their workers (`work`) and the resources they open (`own`) in their factories, and
 * the service kit runs them — workers started in registration order and stopped in reverse,
 * resources closed in reverse order of opening (what was opened last, and may use what came
 * before, closes first), after the workers stopped and the servers finished in-flight calls.
 */
export class ServiceLifecycle {
  private current: LifecycleState = 'starting';
  private readonly workers: Array<Named<LifecycleWorker>> = [];
  private readonly resources: Array<Named<() => Promise<void> | void>> = [];
  private started: Array<Named<LifecycleWorker>> = [];

  get state(): LifecycleState {
    return this.current;
  }

  /** True only in `ready`: what readiness reports (503 while starting, draining or stopped). */
  get serving(): boolean {
    return this.current === 'ready';
  }

  transition(to: LifecycleState): void {
    if (!LIFECYCLE_TRANSITIONS[this.current].includes(to)) {
      throw new FailedPreconditionError(`service lifecycle: illegal transition ${this.current} → ${to}`, { from: this.current, to });
    }
    this.current = to;
  }

  /** Registers long-running work (see LifecycleWorker); returns it. */
  work<W extends LifecycleWorker>(name: string, worker: W): W {
    this.workers.push({ name, value: worker });
    return worker;
  }

  /** Registers an opened resource and how to close it; returns the resource (for factories). */
  own<T>(name: string, resource: T, close: (resource: T) => Promise<unknown> | unknown): T {
    this.resources.push({ name, value: async () => void (await close(resource)) });
    return resource;
  }

  /** Starts every worker in registration order; on a failure, stopWorkers stops the ones already started. */
  async startWorkers(): Promise<void> {
    for (const worker of this.workers) {
      await worker.value.start();
      this.started.push(worker);
    }
  }

  /** Stops the started workers in reverse order (each exactly once). */
  async stopWorkers(): Promise<void> {
    const started = this.started.reverse();
    this.started = [];
    for (const worker of started) await worker.value.stop();
  }

  /**
   * Closes every resource in reverse order of registration. All are attempted; the first
   * failure is rethrown afterwards (naming the resource), so one bad close leaks nothing else.
   */
  async closeResources(): Promise<void> {
    const failures: Array<{ name: string; err: unknown }> = [];
    for (const resource of this.resources.splice(0).reverse()) {
      try {
        await resource.value();
      } catch (err) {
        failures.push({ name: resource.name, err });
      }
    }
    const first = failures[0];
    if (first) throw new FailedPreconditionError(`closing ${first.name} failed: ${(first.err as Error).message ?? String(first.err)}`, { resources: failures.map((f) => f.name) });
  }
}
