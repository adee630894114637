import { EnvelopeSealer, envelopeRecord, EventProducer, newEnvelope, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger, Metrics } from '@weaver/observability';
import type { Workflow } from '@weaver/sdk';
import { nextTick } from '@weaver/sdk/internal';
import type { TickClaims } from './ports';
import { scheduledRunId } from './run-ids';

export interface WorkflowSchedulerOptions {
  workflows: Workflow[];
  claims: TickClaims;
  kafka: KafkaConnection;
  /** Seals the triggers' payloads (default plaintext). */
  sealer?: EnvelopeSealer;
  /** Where triggers go: this installation's `names.triggers`. */
  names: TopicNames;
  /** The tenants whose scheduled workflows this runner starts: each gets one run per tick. */
  tenants: string[];
  /** Stable per replica across restarts (e.g. the pod name), so a restarted replica recognises its own claims. */
  instanceId: string;
  logger: Logger;
  metrics?: Metrics;
  /** Epoch ms; injectable so a test can stand just before a quarter's first tick. */
  clock?: () => number;
  /** Another replica's claim still unproduced after this long is taken as abandoned and produced again (default 60 s). */
  staleClaimMs?: number;
}

interface Schedule {
  workflow: string;
  cron: string;
  input: Record<string, unknown>;
}

const tickKey = (tenantId: string, workflow: string, tickAt: Date): string => `${tenantId}/${workflow}/${tickAt.toISOString()}`;

/** setTimeout's limit is ~24.8 days; a quarterly tick is further away, so long waits are chunked. */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;

/**
 * Fires `schedule:` triggers exactly once per tick however many replicas run. At a tick every
 * replica tries to claim (tenant, workflow, tick) in PostgreSQL; the primary key lets one
 * succeed, and only it writes the trigger. The trigger's run id is derived from the tick, so a
 * claimant that retries, or one that re-produces a claim after crashing between claim and
 * produce (`recover`, run at start and after failures), lands on the same run: the dispatcher
 * creates runs idempotently. Ticks that pass while no replica runs are not caught up.
 */
export class WorkflowScheduler {
  private readonly schedules: Schedule[];
  private readonly timers = new Map<Schedule, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly inProgress = new Set<string>();
  private readonly producer: EventProducer;
  private readonly clock: () => number;
  private readonly fired;
  private running = false;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly opts: WorkflowSchedulerOptions) {
    this.schedules = opts.workflows.flatMap((wf) => wf.triggerList.flatMap((t) => (t.kind === 'schedule' ? [{ workflow: wf.name, cron: t.cron, input: t.input ?? {} }] : [])));
    this.producer = new EventProducer(opts.kafka);
    this.clock = opts.clock ?? Date.now;
    this.fired = opts.metrics?.counter('weaver_schedule_ticks_total', 'Scheduled ticks by outcome: claimed here, claimed elsewhere, failed', ['workflow', 'outcome']);
  }

  get scheduleCount(): number {
    return this.schedules.length;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (!this.schedules.length) return;
    await this.recover();
    const now = this.clock();
    for (const s of this.schedules) this.arm(s, now);
    // A replica that died between claim and produce and never came back: someone else's sweep
    // produces its claim once it is stale.
    const sweepMs = Math.max(1_000, Math.floor((this.opts.staleClaimMs ?? 60_000) / 2));
    this.sweeper = setInterval(() => this.track(this.recover(false).catch((e: unknown) => this.opts.logger.warn({ err: String(e) }, 'tick recovery sweep failed'))), sweepMs);
    this.opts.logger.info({ schedules: this.schedules.map((s) => `${s.workflow} @ ${s.cron}`), tenants: this.opts.tenants.length }, 'workflow scheduler started');
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
    await this.producer.disconnect();
  }

  /**
   * Claims a tick of a workflow for every tenant and starts the run where this replica won.
   * Returns the tenants it claimed for; calling it again for the same tick claims nothing. One
   * tenant's failure does not hold up the others; the first error is thrown after all tried.
   */
  async fire(workflow: string, tickAt: Date, input: Record<string, unknown> = {}): Promise<string[]> {
    const runInput = { ...input, scheduledAt: tickAt.toISOString() };
    const outcomes = await Promise.allSettled(
      this.opts.tenants.map((tenantId) =>
        this.producing(tenantId, workflow, tickAt, async () => {
          const runId = scheduledRunId(tenantId, workflow, tickAt);
          const won = await this.opts.claims.claim(tenantId, { workflow, tickAt, runId, input: runInput, claimedBy: this.opts.instanceId });
          this.fired?.inc({ workflow, outcome: won ? 'claimed' : 'claimed_elsewhere' });
          if (won) await this.produce(tenantId, workflow, tickAt, runId, runInput);
          return won ? tenantId : undefined;
        }),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
  }

  /**
   * Produces the triggers of claims left unproduced: abandoned ones (stale), and with `own` this
   * replica's too (at start, and after a failed produce). Ticks this process is producing at
   * the moment are left alone.
   */
  async recover(own = true): Promise<number> {
    // Staleness is wall-clock time since the claim (the database's now()), not schedule time.
    const staleBefore = new Date(Date.now() - (this.opts.staleClaimMs ?? 60_000));
    let produced = 0;
    for (const tenantId of this.opts.tenants) {
      for (const c of await this.opts.claims.unproduced(tenantId, { claimedBy: own ? this.opts.instanceId : null, staleBefore })) {
        if (this.inProgress.has(tickKey(tenantId, c.workflow, c.tickAt))) continue; // being produced right now
        await this.producing(tenantId, c.workflow, c.tickAt, () => this.produce(tenantId, c.workflow, c.tickAt, c.runId, c.input));
        produced++;
      }
    }
    if (produced) this.opts.logger.info({ produced }, 'produced the triggers of unproduced tick claims');
    return produced;
  }

  private async produce(tenantId: string, workflow: string, tickAt: Date, runId: string, input: unknown): Promise<void> {
    const trigger = newEnvelope({
      id: `schedule:${tenantId}:${workflow}:${tickAt.toISOString()}`,
      tenantId,
      runId,
      workflow,
      type: 'run.requested',
      producer: 'trigger.schedule',
      payload: { input },
    });
    await this.producer.send(await (this.opts.sealer ?? new EnvelopeSealer()).sealRecords([envelopeRecord(trigger, this.opts.names.triggers)]));
    await this.opts.claims.markProduced(tenantId, workflow, tickAt);
  }

  private arm(s: Schedule, afterMs: number): void {
    const tick = nextTick(s.cron, afterMs);
    const wait = (): void => {
      if (!this.running) return;
      // Timers may wake a little early (or the clock may be adjusted): only a due tick fires.
      const remaining = tick.getTime() - this.clock();
      if (remaining > 0) {
        this.timers.set(s, setTimeout(wait, Math.min(remaining, MAX_TIMER_MS)));
        return;
      }
      this.track(this.fireSafely(s, tick));
      this.arm(s, tick.getTime());
    };
    wait();
  }

  private async fireSafely(s: Schedule, tick: Date): Promise<void> {
    try {
      await this.fire(s.workflow, tick, s.input);
    } catch (error) {
      this.fired?.inc({ workflow: s.workflow, outcome: 'failed' });
      this.opts.logger.error({ workflow: s.workflow, tick: tick.toISOString(), err: String(error) }, 'scheduled tick failed; its claim (if any) is produced on recovery');
      await this.recover().catch((e: unknown) => this.opts.logger.warn({ err: String(e) }, 'tick recovery failed; retried at the next tick'));
    }
  }

  /** Marks a tick as being claimed/produced here, so a concurrent recovery leaves it alone. */
  private async producing<T>(tenantId: string, workflow: string, tickAt: Date, work: () => Promise<T>): Promise<T> {
    const key = tickKey(tenantId, workflow, tickAt);
    this.inProgress.add(key);
    try {
      return await work();
    } finally {
      this.inProgress.delete(key);
    }
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
