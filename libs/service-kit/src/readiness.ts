export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, threw or timed out ("shutdown" while stopping). */
  failing: string[];
}

/**
 * Whether this instance should receive traffic. Providers register named checks (e.g.
 * `readiness.register('kafka', () => consumer.isRunning())`); `/health/ready` is 200 only when
 * every check passes. Shutdown flips it to not-ready before anything stops, so a load balancer
 * or Kubernetes stops routing here while in-flight work finishes. Inject it by class.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  constructor(private readonly checkTimeoutMs = 2_000) {}

  /** Adds (or replaces) a named check. Returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  markShuttingDown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  async evaluate(): Promise<ReadinessReport> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => ((await this.passes(check)) ? null : name)),
    );
    const failing = results.filter((name): name is string => name !== null);
    if (this.stopping) failing.unshift('shutdown');
    return { ready: failing.length === 0, failing };
  }

  /** A check that throws or hangs counts as failing: a probe must answer even when a dependency does not. */
  private async passes(check: ReadinessCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.checkTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
