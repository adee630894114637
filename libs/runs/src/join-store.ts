import type { DataSource } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import { joinStateOf, mergeJoinPart, type JoinPart, type JoinState, type StoredJoin } from './join-state';

interface JoinRow {
  parts: StoredJoin['parts'];
  completed_by_event: string | null;
}

/**
 * Records one input of a join in `runs.joins` and tells the caller whether it completed the
 * join. Inputs arrive on different topics and partitions, so two workers can deliver the last
 * two parts at the same moment: the row is locked (`FOR UPDATE`) for the read-merge-write, and
 * the completing event's id is written in the same transaction, so exactly one of them sees
 * itself as `completedBy`. The state lives in PostgreSQL, so it survives restarts.
 */
export async function arriveAtJoin(ds: DataSource, tenantId: string, runId: string, agent: string, part: JoinPart, required: readonly string[]): Promise<JoinState> {
  return withTenant(ds, tenantId, async (em) => {
    await em.query(
      `INSERT INTO runs.joins (tenant_id, run_id, agent, required) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, run_id, agent) DO NOTHING`,
      [tenantId, runId, agent, [...required]],
    );
    const rows: JoinRow[] = await em.query(
      `SELECT parts, completed_by_event FROM runs.joins WHERE tenant_id = $1 AND run_id = $2 AND agent = $3 FOR UPDATE`,
      [tenantId, runId, agent],
    );
    const row = rows[0]!;
    const { next, changed } = mergeJoinPart({ parts: row.parts, completedBy: row.completed_by_event }, part, required);
    if (changed) {
      await em.query(
        `UPDATE runs.joins SET parts = $4, completed_by_event = $5, completed_at = CASE WHEN $5::text IS NULL THEN NULL ELSE now() END
         WHERE tenant_id = $1 AND run_id = $2 AND agent = $3`,
        [tenantId, runId, agent, JSON.stringify(next.parts), next.completedBy],
      );
    }
    return joinStateOf(next, required);
  });
}

/** The current state of a join, or undefined before its first input arrived. */
export async function readJoin(ds: DataSource, tenantId: string, runId: string, agent: string): Promise<(JoinState & { required: string[] }) | undefined> {
  return withTenant(ds, tenantId, async (em) => {
    const rows: Array<JoinRow & { required: string[] }> = await em.query(
      `SELECT parts, completed_by_event, required FROM runs.joins WHERE tenant_id = $1 AND run_id = $2 AND agent = $3`,
      [tenantId, runId, agent],
    );
    const row = rows[0];
    return row ? { ...joinStateOf({ parts: row.parts, completedBy: row.completed_by_event }, row.required), required: row.required } : undefined;
  });
}
