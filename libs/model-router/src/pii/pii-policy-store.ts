import type { EntityManager } from 'typeorm';
import { FailedPreconditionError } from '@weaver/errors';
import { returnedRows } from '@weaver/persistence';
import type { PiiPolicyInput } from '@weaver/pii';

/** A tenant's row of router.pii_policies: the policy as the tenant wrote it. */
export interface StoredPiiPolicy {
  readonly policy: PiiPolicyInput;
  readonly version: number;
  readonly updatedAt: Date;
}

interface Row {
  policy: PiiPolicyInput;
  version: number;
  updated_at: Date;
}
const rowOf = (r: Row): StoredPiiPolicy => ({ policy: r.policy, version: r.version, updatedAt: new Date(r.updated_at) });

/**
 * router.pii_policies inside the caller's withTenant (RLS: a tenant sees only its row). Writes
 * take an optional expected version: 0 = "the tenant has no policy yet", n = "it is at n";
 * absent = last writer wins.
 */
export class PiiPolicyStore {
  async get(em: EntityManager, tenantId: string): Promise<StoredPiiPolicy | undefined> {
    const rows: Row[] = await em.query(`SELECT policy, version, updated_at FROM router.pii_policies WHERE tenant_id = $1`, [tenantId]);
    return rows[0] && rowOf(rows[0]);
  }

  async set(em: EntityManager, tenantId: string, policy: PiiPolicyInput, expectedVersion?: number): Promise<StoredPiiPolicy> {
    const json = JSON.stringify(policy);
    let rows: Row[];
    if (expectedVersion === undefined) {
      rows = await em.query(
        `INSERT INTO router.pii_policies (tenant_id, policy) VALUES ($1, $2::jsonb)
         ON CONFLICT (tenant_id) DO UPDATE SET policy = EXCLUDED.policy, version = router.pii_policies.version + 1, updated_at = now()
         RETURNING policy, version, updated_at`,
        [tenantId, json],
      );
    } else if (expectedVersion === 0) {
      rows = await em.query(`INSERT INTO router.pii_policies (tenant_id, policy) VALUES ($1, $2::jsonb) ON CONFLICT (tenant_id) DO NOTHING RETURNING policy, version, updated_at`, [tenantId, json]);
    } else {
      rows = returnedRows<Row>(await em.query(
        `UPDATE router.pii_policies SET policy = $2::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND version = $3 RETURNING policy, version, updated_at`,
        [tenantId, json, expectedVersion],
      ));
    }
    const row = rows[0];
    if (row) return rowOf(row);
    const current = (await this.get(em, tenantId))?.version ?? 0;
    throw new FailedPreconditionError(`the tenant's PII policy is at version ${current}, not ${expectedVersion}: read it again and retry`, {
      reason: 'PII_POLICY_VERSION',
      field: 'expected_version',
      currentVersion: current,
    });
  }
}
