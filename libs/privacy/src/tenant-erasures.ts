import type { Pool } from 'pg';
import { inTenantTransaction } from '@weaver/persistence';
import type { ErasureReport, PartyData } from './party-data';

export interface RequestedErasure {
  tenantId: string;
  requestedAt: Date;
  requestedBy: string;
}

/** The tenants whose deletion was requested (admin API: DELETE /v1/admin/tenants/{id}) and not yet erased, oldest first. */
export async function requestedErasures(pool: Pool): Promise<RequestedErasure[]> {
  const client = await pool.connect();
  try {
    // The queue is read before any tenant is known: the erasure_queue policy, with its setting.
    await client.query("BEGIN; SELECT set_config('weaver.erasure_queue', 'on', true)");
    const { rows } = await client.query<{ tenant: string; requested_at: Date; requested_by: string }>(
      'SELECT tenant::text, requested_at, requested_by FROM tenancy.tenant_erasures WHERE erased_at IS NULL ORDER BY requested_at',
    );
    await client.query('COMMIT');
    return rows.map((r) => ({ tenantId: r.tenant, requestedAt: r.requested_at, requestedBy: r.requested_by }));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The erasure step for deleted tenants: each requested tenant is erased the one way erasure is
 * done (PartyData.erase: objects, rows, data keys, VACUUM, cached answers), then its request is
 * marked erased with the report (counts, no content). A crash between the two leaves the
 * request pending; erasing again finds nothing left and marks it, so the step is idempotent and
 * safe to run on a schedule. `pool`: the owner role, as for tools/privacy erase.
 */
export async function eraseRequestedTenants(pool: Pool, data: Pick<PartyData, 'erase'>): Promise<ErasureReport[]> {
  const reports: ErasureReport[] = [];
  for (const request of await requestedErasures(pool)) {
    const report = await data.erase({ tenantId: request.tenantId });
    await inTenantTransaction(pool, request.tenantId, (client) =>
      client.query('UPDATE tenancy.tenant_erasures SET erased_at = now(), report = $2 WHERE tenant = $1', [request.tenantId, JSON.stringify(report)]),
    );
    reports.push(report);
  }
  return reports;
}
