import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '@weaver/errors';
import { assertUuid, withTenant } from '@weaver/persistence';
import type { PolicySet, PolicySource } from '../policy-source';
import { assertValidPolicy, type TenantPolicy } from '../policy-validation';
import { CreatePolicyTables1766000000000 } from './1766000000000-create-policy-tables.migration';

export const POLICY_SCHEMA = 'policy';
export const POLICY_MIGRATIONS = [CreatePolicyTables1766000000000];

export interface StoredPolicy extends TenantPolicy {
  description: string;
  updatedAt: Date;
}

export interface TenantPolicies {
  version: number;
  policies: StoredPolicy[];
}

type Row = { policy_id: string; text: string; description: string; updated_at: Date };
const toPolicy = (r: Row): StoredPolicy => ({ id: r.policy_id, text: r.text, description: r.description, updatedAt: r.updated_at });

/**
 * Tenants' policies in `policy.*` (RLS per tenant; the tenancy service's role). Every change
 * validates first (line:column errors), then writes and bumps the tenant's version in one
 * transaction, so a reader never sees new text under an old version.
 */
export class PolicyStore implements PolicySource {
  constructor(private readonly ds: DataSource) {}

  /** Creates or replaces a policy; answers the tenant's new version. */
  async put(tenantId: string, policy: TenantPolicy, description = ''): Promise<number> {
    assertUuid(tenantId, 'tenantId');
    assertValidPolicy(policy);
    return withTenant(this.ds, tenantId, async (em) => {
      await em.query(
        `INSERT INTO policy.tenant_policies (tenant_id, policy_id, text, description) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, policy_id) DO UPDATE SET text = EXCLUDED.text, description = EXCLUDED.description, updated_at = now()`,
        [tenantId, policy.id, policy.text, description],
      );
      return bump(em, tenantId);
    });
  }

  /** Deletes a policy (NotFound when absent); answers the tenant's new version. */
  async delete(tenantId: string, policyId: string): Promise<number> {
    assertUuid(tenantId, 'tenantId');
    return withTenant(this.ds, tenantId, async (em) => {
      const [, deleted] = (await em.query(`DELETE FROM policy.tenant_policies WHERE tenant_id = $1 AND policy_id = $2`, [tenantId, policyId])) as [unknown, number];
      if (!deleted) throw new NotFoundError('policy', policyId);
      return bump(em, tenantId);
    });
  }

  async get(tenantId: string, policyId: string): Promise<StoredPolicy> {
    assertUuid(tenantId, 'tenantId');
    const rows: Row[] = await withTenant(this.ds, tenantId, (em) =>
      em.query(`SELECT policy_id, text, description, updated_at FROM policy.tenant_policies WHERE tenant_id = $1 AND policy_id = $2`, [tenantId, policyId]),
    );
    if (!rows[0]) throw new NotFoundError('policy', policyId);
    return toPolicy(rows[0]);
  }

  /** The tenant's policies and version, read in one snapshot. */
  async list(tenantId: string): Promise<TenantPolicies> {
    assertUuid(tenantId, 'tenantId');
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: Row[] = await em.query(`SELECT policy_id, text, description, updated_at FROM policy.tenant_policies WHERE tenant_id = $1 ORDER BY policy_id`, [tenantId]);
      return { version: await versionIn(em, tenantId), policies: rows.map(toPolicy) };
    });
  }

  /** The version alone (one indexed row): what a caller holding `version` checks before fetching. */
  async version(tenantId: string): Promise<number> {
    assertUuid(tenantId, 'tenantId');
    return withTenant(this.ds, tenantId, (em) => versionIn(em, tenantId));
  }

  async setOf(tenantId: string): Promise<PolicySet> {
    return this.list(tenantId);
  }
}

async function versionIn(em: EntityManager, tenantId: string): Promise<number> {
  const rows: Array<{ version: string }> = await em.query(`SELECT version FROM policy.tenant_versions WHERE tenant_id = $1`, [tenantId]);
  return Number(rows[0]?.version ?? 0);
}

async function bump(em: EntityManager, tenantId: string): Promise<number> {
  const rows: Array<{ version: string }> = await em.query(
    `INSERT INTO policy.tenant_versions (tenant_id, version) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET version = policy.tenant_versions.version + 1 RETURNING version`,
    [tenantId],
  );
  return Number(rows[0]?.version);
}
