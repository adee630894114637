import type { EntityManager } from 'typeorm';
import { quotaExceeded, type ResourceExhaustedError } from '@weaver/errors';
import type { ResultEntity } from './result.entity';

/**
 * The put's claim and the tenant's stored-bytes counter (publisher.tenant_usage, the
 * `stored_bytes` quota). Bytes are the results' plaintext sizes (`size_bytes`, what the tenant
 * published), not the sealed objects', so compression and encryption change nobody's quota.
 */

/**
 * Claims (tenant, run, step) — ON CONFLICT DO NOTHING: a row back means this call claimed it —
 * and reads the tenant's stored bytes in the same statement, so a put that cannot fit is
 * refused before its object is written, at no extra round trip.
 */
export async function claimResult(em: EntityManager, row: ResultEntity): Promise<{ claimed: boolean; storedBefore: number }> {
  const rows = (await em.query(
    `WITH claimed AS (
       INSERT INTO publisher.results (tenant_id, run_id, step, uri, content_type, size_bytes, sha256, classification, store, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
            coalesce((SELECT stored_bytes FROM publisher.tenant_usage WHERE tenant_id = $1), 0)::text AS stored`,
    [row.tenantId, row.runId, row.step, row.uri, row.contentType, row.sizeBytes, row.sha256, row.classification, row.store, row.createdAt],
  )) as Array<{ claimed: boolean; stored: string }>;
  return { claimed: rows[0]!.claimed, storedBefore: Number(rows[0]!.stored) };
}

/**
 * Adds a claimed result's bytes to the tenant's counter and returns the new total. The upsert
 * locks the tenant's row until commit, so concurrent puts of one tenant (any replica) add up one
 * after another and each sees the others' committed bytes: the limit is exact.
 */
export async function countStoredBytes(em: EntityManager, tenantId: string, bytes: number): Promise<number> {
  const rows = (await em.query(
    `INSERT INTO publisher.tenant_usage AS u (tenant_id, stored_bytes) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET stored_bytes = u.stored_bytes + EXCLUDED.stored_bytes, updated_at = now()
     RETURNING u.stored_bytes::text AS stored`,
    [tenantId, bytes],
  )) as Array<{ stored: string }>;
  return Number(rows[0]!.stored);
}

/** 429 / RESOURCE_EXHAUSTED naming `stored_bytes`; retriable once something is erased or the quota raised. */
export function storedBytesExceeded(tenantId: string, limit: number, stored: number, requested: number): ResourceExhaustedError {
  return quotaExceeded('stored_bytes', limit, 60_000, `tenant ${tenantId} stores ${stored} bytes of results, this one has ${requested}`, { tenantId, stored, requested });
}
