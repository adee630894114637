import type { DataSource } from 'typeorm';
import { withTenant } from '@weaver/persistence';

export interface TickClaim {
  tenantId: string;
  workflow: string;
  tickAt: Date;
  runId: string;
  /** The run input the claimant produced (re-produced as is after a crash). */
  input: unknown;
  claimedBy: string;
  claimedAt: Date;
  producedAt: Date | null;
}

interface TickRow {
  tenant_id: string;
  workflow: string;
  tick_at: Date;
  run_id: string;
  input: unknown;
  claimed_by: string;
  claimed_at: Date;
  produced_at: Date | null;
}

/**
 * Claims of scheduled ticks in `runs.schedule_ticks`. The primary key (tenant, workflow, tick)
 * lets exactly one replica claim a tick; only the claimant writes the trigger and then marks it
 * produced. A claim left unproduced (the claimant crashed in between) is found by `unproduced`
 * and written again: harmless, because its run id is derived from the tick.
 */
export class ScheduleTickStore {
  constructor(private readonly ds: DataSource) {}

  /** True for the one caller that claimed the tick; false for everyone else, forever. */
  async claim(tenantId: string, tick: { workflow: string; tickAt: Date; runId: string; input: unknown; claimedBy: string }): Promise<boolean> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: unknown[] = await em.query(
        `INSERT INTO runs.schedule_ticks (tenant_id, workflow, tick_at, run_id, input, claimed_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, workflow, tick_at) DO NOTHING RETURNING run_id`,
        [tenantId, tick.workflow, tick.tickAt, tick.runId, JSON.stringify(tick.input ?? null), tick.claimedBy],
      );
      return rows.length === 1;
    });
  }

  async markProduced(tenantId: string, workflow: string, tickAt: Date): Promise<void> {
    await withTenant(this.ds, tenantId, (em) =>
      em.query(`UPDATE runs.schedule_ticks SET produced_at = now() WHERE tenant_id = $1 AND workflow = $2 AND tick_at = $3 AND produced_at IS NULL`, [tenantId, workflow, tickAt]),
    );
  }

  /** Claims whose trigger may never have been written: `claimedBy`'s own (if given), or anyone's older than `staleBefore`. */
  async unproduced(tenantId: string, opts: { claimedBy: string | null; staleBefore: Date }): Promise<TickClaim[]> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: TickRow[] = await em.query(
        `SELECT * FROM runs.schedule_ticks WHERE tenant_id = $1 AND produced_at IS NULL AND (claimed_by = $2 OR claimed_at < $3) ORDER BY tick_at`,
        [tenantId, opts.claimedBy, opts.staleBefore],
      );
      return rows.map(toClaim);
    });
  }

  async list(tenantId: string, workflow: string): Promise<TickClaim[]> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: TickRow[] = await em.query(`SELECT * FROM runs.schedule_ticks WHERE tenant_id = $1 AND workflow = $2 ORDER BY tick_at`, [tenantId, workflow]);
      return rows.map(toClaim);
    });
  }
}

function toClaim(r: TickRow): TickClaim {
  return { tenantId: r.tenant_id, workflow: r.workflow, tickAt: r.tick_at, runId: r.run_id, input: r.input, claimedBy: r.claimed_by, claimedAt: r.claimed_at, producedAt: r.produced_at };
}
