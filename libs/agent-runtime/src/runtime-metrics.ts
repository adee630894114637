import type { Metrics } from '@weaver/observability';

/** How one delivery of an event to an agent ended. */
export type StepOutcome = 'completed' | 'declined' | 'waiting' | 'error' | 'dead_lettered' | 'cancelled';

/** Buckets for agent steps: model calls make seconds-to-minutes normal. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Runs per workflow and steps per agent. Run counters move only when the run's row actually
 * changed state in PostgreSQL (the ledger says so), so a redelivered step or a retried
 * transaction never counts a run twice. Step series count deliveries (a retried attempt is an
 * `error` and then its final outcome). Every update is an in-memory increment: no I/O per step.
 */
export class RuntimeMetrics {
  private readonly started;
  private readonly completed;
  private readonly failed;
  private readonly steps;
  private readonly duration;
  private readonly inFlight;

  constructor(metrics: Metrics) {
    this.started = metrics.counter('weaver_runs_started_total', 'Runs that started (pending or new -> running), per workflow', ['workflow']);
    this.completed = metrics.counter('weaver_runs_completed_total', 'Runs that completed, per workflow', ['workflow']);
    this.failed = metrics.counter('weaver_runs_failed_total', 'Runs that failed, per workflow', ['workflow']);
    this.steps = metrics.counter('weaver_steps_total', 'Step deliveries per agent and outcome (completed, declined, waiting for a join, error = attempt failed, dead_lettered)', ['workflow', 'agent', 'outcome']);
    this.duration = metrics.histogram('weaver_step_duration_seconds', 'Step handling time per agent and outcome (decode to outputs, model calls included)', ['workflow', 'agent', 'outcome'], STEP_BUCKETS);
    this.inFlight = metrics.gauge('weaver_steps_in_flight', 'Steps being handled now in this process, per agent', ['agent']);
  }

  runStarted(workflow: string): void {
    this.started.inc({ workflow });
  }
  runCompleted(workflow: string): void {
    this.completed.inc({ workflow });
  }
  runFailed(workflow: string): void {
    this.failed.inc({ workflow });
  }

  /** A step began; call the returned function once with its outcome. */
  stepStarted(agent: string): (workflow: string, outcome: StepOutcome) => void {
    this.inFlight.inc({ agent });
    const t0 = performance.now();
    return (workflow, outcome) => {
      this.inFlight.dec({ agent });
      this.steps.inc({ workflow, agent, outcome });
      this.duration.observe({ workflow, agent, outcome }, (performance.now() - t0) / 1000);
    };
  }

  deadLettered(workflow: string, agent: string): void {
    this.steps.inc({ workflow, agent, outcome: 'dead_lettered' });
  }
}
