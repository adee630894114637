import type { EntityManager } from 'typeorm';
import { BudgetExhaustedError } from '../router-errors';

export interface BudgetStatus {
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
}

/** A hold on budget for one call; `amountUsd` 0 means the tenant has no budget (unlimited). */
export interface Reservation {
  tenantId: string;
  amountUsd: number;
}

const status = (row: { limit_usd: string; spent_usd: string; reserved_usd: string }): BudgetStatus => ({
  limitUsd: Number(row.limit_usd),
  spentUsd: Number(row.spent_usd),
  reservedUsd: Number(row.reserved_usd),
});

/**
 * Per-tenant budgets: reserve the worst-case cost before a call, settle the actual cost after.
 * The reservation is one conditional UPDATE: PostgreSQL locks the row and re-checks the
 * condition for each concurrent writer, so no two calls can both take the last dollar.
 */
export class BudgetStore {
  async reserve(em: EntityManager, tenantId: string, amountUsd: number): Promise<Reservation> {
    const rows = (await em.query(
      `UPDATE router.tenant_budgets SET reserved_usd = reserved_usd + $2, updated_at = now()
       WHERE tenant_id = $1 AND spent_usd + reserved_usd + $2 <= limit_usd
       RETURNING limit_usd`,
      [tenantId, amountUsd],
    )) as [unknown[], number];
    if (rows[1] > 0) return { tenantId, amountUsd };
    const current = await this.get(em, tenantId);
    if (!current) return { tenantId, amountUsd: 0 };
    throw new BudgetExhaustedError(tenantId, current.limitUsd, current.spentUsd, current.reservedUsd, amountUsd);
  }

  /** Replace the hold with what the call actually cost (0 to just release it). */
  async settle(em: EntityManager, r: Reservation, actualUsd: number): Promise<void> {
    await em.query(
      `UPDATE router.tenant_budgets SET reserved_usd = GREATEST(reserved_usd - $2, 0), spent_usd = spent_usd + $3, updated_at = now()
       WHERE tenant_id = $1`,
      [r.tenantId, r.amountUsd, actualUsd],
    );
  }

  async set(em: EntityManager, tenantId: string, limitUsd: number, resetSpent: boolean): Promise<BudgetStatus> {
    const rows = (await em.query(
      `INSERT INTO router.tenant_budgets (tenant_id, limit_usd) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET limit_usd = EXCLUDED.limit_usd,
         spent_usd = CASE WHEN $3 THEN 0 ELSE router.tenant_budgets.spent_usd END, updated_at = now()
       RETURNING limit_usd, spent_usd, reserved_usd`,
      [tenantId, limitUsd, resetSpent],
    )) as Array<{ limit_usd: string; spent_usd: string; reserved_usd: string }>;
    return status(rows[0]!);
  }

  async get(em: EntityManager, tenantId: string): Promise<BudgetStatus | undefined> {
    const rows = (await em.query(`SELECT limit_usd, spent_usd, reserved_usd FROM router.tenant_budgets WHERE tenant_id = $1`, [tenantId])) as Array<{
      limit_usd: string;
      spent_usd: string;
      reserved_usd: string;
    }>;
    return rows[0] ? status(rows[0]) : undefined;
  }
}
