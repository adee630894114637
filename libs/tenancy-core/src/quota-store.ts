import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { assertUuid, withTenant } from '@weaver/persistence';

import { QUOTA_FIELDS, quotaViolations, type QuotaName, type QuotaOverrides, type Quotas } from './quotas';
import { TenantEntity } from './tenant.entity';

export interface TenantQuotas {
  /** What applies: overrides over defaults. */
  readonly quotas: Quotas;
  readonly overrides: QuotaOverrides;
}

type QuotaRow = Record<string, string | number | null>;

/** `tenancy.tenant_quotas`, one row per tenant that has values of its own (RLS, per tenant). */
export class QuotaStore {
  constructor(
    private readonly ds: DataSource,
    private readonly defaults: Quotas,
  ) {}

  async get(tenantId: string): Promise<TenantQuotas> {
    assertUuid(tenantId, 'tenantId');
    return withTenant(this.ds, tenantId, async (em) => {
      if (!(await em.existsBy(TenantEntity, { id: tenantId }))) throw new NotFoundError('tenant', tenantId);
      const rows = (await em.query(`SELECT ${QUOTA_FIELDS.map((f) => f.column).join(', ')} FROM tenancy.tenant_quotas WHERE tenant_id = $1`, [tenantId])) as QuotaRow[];
      return this.effective(rows[0]);
    });
  }

  /** Sets `set` and resets `reset` (to the default) in one upsert; returns what applies then. */
  async set(tenantId: string, set: QuotaOverrides, reset: readonly string[]): Promise<TenantQuotas> {
    assertUuid(tenantId, 'tenantId');
    const violations = quotaViolations(set as Record<string, unknown>, 'set.');
    const resetFields = reset.map((name) => QUOTA_FIELDS.find((f) => f.column === name || f.name === name));
    reset.forEach((name, i) => resetFields[i] || violations.push({ field: `reset[${i}]`, rule: `is not a quota (one of ${QUOTA_FIELDS.map((f) => f.column).join(', ')})` }));
    if (violations.length) throw new ValidationError(violations, 'quotas');
    const values = QUOTA_FIELDS.map((f) => (resetFields.includes(f) ? null : set[f.name]));
    const touched = QUOTA_FIELDS.map((f) => resetFields.includes(f) || set[f.name] !== undefined);
    return withTenant(this.ds, tenantId, async (em) => {
      if (!(await em.existsBy(TenantEntity, { id: tenantId }))) throw new NotFoundError('tenant', tenantId);
      const cols = QUOTA_FIELDS.map((f) => f.column);
      // Untouched columns keep their value: CASE on a per-column "touched" flag.
      const rows = (await em.query(
        `INSERT INTO tenancy.tenant_quotas (tenant_id, ${cols.join(', ')}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})
         ON CONFLICT (tenant_id) DO UPDATE SET ${cols.map((c, i) => `${c} = CASE WHEN $${i + 2 + cols.length} THEN EXCLUDED.${c} ELSE tenancy.tenant_quotas.${c} END`).join(', ')}, updated_at = now()
         RETURNING ${cols.join(', ')}`,
        [tenantId, ...values.map((v) => v ?? null), ...touched],
      )) as QuotaRow[];
      return this.effective(rows[0]);
    });
  }

  private effective(row: QuotaRow | undefined): TenantQuotas {
    const overrides: Partial<Record<QuotaName, number>> = {};
    for (const f of QUOTA_FIELDS) {
      const v = row?.[f.column];
      if (v !== null && v !== undefined) overrides[f.name] = Number(v);
    }
    return { quotas: { ...this.defaults, ...overrides }, overrides };
  }
}
