import type { DataSource } from 'typeorm';
import { returnedRows, withTenant } from '@weaver/persistence';
import { RUN_TRANSITIONS, type RunStatus } from './run.types';

/**
 * The control record a cancel writes on the run's triggers topic (keyed by run id, so it follows
 * the run's trigger): the dispatcher emits `run.cancelled` from it, once (see claimCancelEvent).
 */
export const RUN_CANCEL_REQUESTED = 'run.cancel-requested';

const fromStates = (to: RunStatus): RunStatus[] => (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter((f) => RUN_TRANSITIONS[f].includes(to));

/**
 * The operator's moves on a run (cancel; retry's revival is with the dead letter's claim, see
 * DeadLetterDispositions), off the step path: one statement each, under the run's tenant.
 */
export class RunControl {
  constructor(private readonly ds: DataSource) {}

  /**
   * Moves the run to `cancelled` through RUN_TRANSITIONS (from pending or running); `moved` is
   * false when it was not in such a state, `status` is what it is now (undefined: no such run).
   */
  async cancel(tenantId: string, runId: string, reason: string): Promise<{ moved: boolean; status?: RunStatus }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const moved = returnedRows<{ status: RunStatus }>(await em.query(
        `UPDATE runs.runs SET status = 'cancelled', error = $3, updated_at = now() WHERE tenant_id = $1 AND run_id = $2 AND status = ANY($4::text[]) RETURNING status`,
        [tenantId, runId, reason, fromStates('cancelled')],
      ));
      if (moved[0]) return { moved: true, status: moved[0].status };
      const now: Array<{ status: RunStatus }> = await em.query(`SELECT status FROM runs.runs WHERE tenant_id = $1 AND run_id = $2`, [tenantId, runId]);
      return { moved: false, status: now[0]?.status };
    });
  }

  /**
   * Whether the cancel record at `position` is the one that emits `run.cancelled`: the first
   * position to ask wins (write-once), and the same position asking again (its transaction was
   * redone after a crash) wins again. So however many cancel records a run gets, exactly one
   * transaction commits the event.
   */
  async claimCancelEvent(tenantId: string, runId: string, position: string): Promise<boolean> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows = returnedRows(await em.query(
        `UPDATE runs.runs SET cancel_emitted_by = $3 WHERE tenant_id = $1 AND run_id = $2 AND status = 'cancelled' AND (cancel_emitted_by IS NULL OR cancel_emitted_by = $3) RETURNING run_id`,
        [tenantId, runId, position],
      ));
      return rows.length > 0;
    });
  }

  /** A run's status alone (undefined: none); for the rare paths that must know it (redeliveries). */
  async statusOf(tenantId: string, runId: string): Promise<RunStatus | undefined> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: Array<{ status: RunStatus }> = await em.query(`SELECT status FROM runs.runs WHERE tenant_id = $1 AND run_id = $2`, [tenantId, runId]);
      return rows[0]?.status;
    });
  }
}
