import type { EntityManager } from 'typeorm';
import { invalid } from '../router-errors';
import type { RoutedResult } from '../routed-result';

export type Claim = { state: 'claimed' } | { state: 'replay'; response: RoutedResult } | { state: 'in-progress' };

/**
 * One recorded response per (tenant, idempotency key). A call claims its key first; a crash
 * leaves a pending claim that expires after `leaseMs`, so the replayed step can claim it again.
 * Using a key for a different request is an error, as with any idempotency key.
 */
export class IdempotencyStore {
  constructor(private readonly leaseMs = 5 * 60_000) {}

  async claim(em: EntityManager, tenantId: string, key: string, requestHash: string): Promise<Claim> {
    const inserted = (await em.query(
      `INSERT INTO router.idempotency_records (tenant_id, idempotency_key, request_hash, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET claimed_at = now(), request_hash = EXCLUDED.request_hash
         WHERE router.idempotency_records.status = 'pending'
           AND router.idempotency_records.claimed_at < now() - make_interval(secs => $4::double precision / 1000)
       RETURNING status`,
      [tenantId, key, requestHash, this.leaseMs],
    )) as unknown[];
    if (inserted.length) return { state: 'claimed' };
    const rows = (await em.query(`SELECT status, request_hash, response FROM router.idempotency_records WHERE tenant_id = $1 AND idempotency_key = $2`, [
      tenantId,
      key,
    ])) as Array<{ status: string; request_hash: string; response: RoutedResult | null }>;
    const row = rows[0];
    if (!row) return { state: 'in-progress' };
    if (row.request_hash !== requestHash) throw invalid('idempotency_key', 'was already used for a different request');
    return row.status === 'completed' && row.response ? { state: 'replay', response: row.response } : { state: 'in-progress' };
  }

  async complete(em: EntityManager, tenantId: string, key: string, response: RoutedResult): Promise<void> {
    await em.query(
      `UPDATE router.idempotency_records SET status = 'completed', response = $3, completed_at = now() WHERE tenant_id = $1 AND idempotency_key = $2`,
      [tenantId, key, JSON.stringify(response)],
    );
  }

  /** The call failed: free the key so a retry of the step may call again. */
  async release(em: EntityManager, tenantId: string, key: string): Promise<void> {
    await em.query(`DELETE FROM router.idempotency_records WHERE tenant_id = $1 AND idempotency_key = $2 AND status = 'pending'`, [tenantId, key]);
  }
}
