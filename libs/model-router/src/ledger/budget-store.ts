import type { EntityManager } from 'typeorm';

export interface BudgetStatus {
  /** null: no limit of its own — the tenant's budget_usd quota applies (ModelRouter.getUsage fills it in). */
  limitUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
}

const status = (row: { limit_usd: string | null; spent_usd: string; reserved_usd: string }): BudgetStatus => ({
  limitUsd: row.limit_usd === null ? null : Number(row.limit_usd),
  spentUsd: Number(row.spent_usd),
  reservedUsd: Number(row.reserved_usd),
});

/**
 * Per-tenant budgets (limit, spent, reserved). Holds and settlements are written by the batched
 * claim and settle statements (claim-batch.ts, settle-batch.ts); this reads and sets the limit.
 */
export class BudgetStore {
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
      limit_usd: string | null;
      spent_usd: string;
      reserved_usd: string;
    }>;
    return rows[0] ? status(rows[0]) : undefined;
  }
}
