import { quotaExceeded } from '@weaver/errors';
import { TokenBuckets } from '@weaver/resilience';

/** The quotas the gateway's intake enforces (from tenancy, cached by the caller). */
export interface IntakeQuota {
  readonly runsPerSecond: number;
  readonly runBurst: number;
  readonly concurrentRuns: number;
}

export type IntakeQuotaSource = (tenantId: string) => Promise<IntakeQuota>;

// The one quota refusal, shared with the router and the publisher (re-exported for intake's callers).
export { quotaExceeded } from '@weaver/errors';

/**
 * Runs-per-second at intake: a token bucket per tenant in this process, at 1/replicas of the
 * tenant's rate and burst, so N gateway replicas behind a balancer admit about the tenant's rate
 * together (exact when the balancer spreads evenly; no coordination, no round trip). The
 * concurrent-runs quota is not checked here but in the intake statement (TriggerOutbox.recordRun).
 */
export class IntakeLimits {
  constructor(
    private readonly quotas: IntakeQuotaSource,
    private readonly replicas = 1,
    private readonly buckets = new TokenBuckets(),
  ) {}

  /** Takes one run from the tenant's bucket or throws; returns the concurrent-runs limit for the statement. */
  async admit(tenantId: string): Promise<{ maxActiveRuns: number }> {
    const q = await this.quotas(tenantId);
    const limit = { ratePerSecond: q.runsPerSecond / this.replicas, burst: Math.max(1, Math.ceil(q.runBurst / this.replicas)) };
    const taken = this.buckets.take(tenantId, limit);
    if (!taken.ok) throw quotaExceeded('runs_per_second', q.runsPerSecond, taken.retryAfterMs, `more than ${q.runsPerSecond} runs per second (burst ${q.runBurst})`);
    return { maxActiveRuns: q.concurrentRuns };
  }
}
