import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import { canMove } from './data-key-state';
import { checkScope, scopeKey, type KeyScope } from './key-scope';
import type { Kms } from './kms';

/**
 * The updates of `keys.data_keys`: tenancy's operations (only its role may UPDATE/DELETE
 * there). None needs downtime: readers find every version a ciphertext names, and writers pick
 * the new active key up when their cache entry expires (DataKeyCacheOptions.ttlMs).
 */

/**
 * A new data key version becomes active for `scope`; the previous active one is retired (it
 * still opens what it sealed). Returns the new version. Serialised per scope by the row lock.
 */
export async function rotateDataKey(ds: DataSource, kms: Kms, rawScope: KeyScope): Promise<number> {
  const scope = checkScope(rawScope);
  const wrapped = await kms.wrap(randomBytes(32), scope);
  return withTenant(ds, scope.tenantId, async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weaver.keys.${scopeKey(scope)}`]);
    const rows: Array<{ v: number | null }> = await em.query(`SELECT max(version) AS v FROM keys.data_keys WHERE tenant_id = $1 AND subject IS NOT DISTINCT FROM $2`, [
      scope.tenantId,
      scope.subject ?? null,
    ]);
    const next = (rows[0]?.v ?? 0) + 1;
    await em.query(`UPDATE keys.data_keys SET state = 'retired', updated_at = now() WHERE tenant_id = $1 AND subject IS NOT DISTINCT FROM $2 AND state = 'active'`, [
      scope.tenantId,
      scope.subject ?? null,
    ]);
    await em.query(`INSERT INTO keys.data_keys (tenant_id, subject, version, wrapped_key, kms_key_id, state) VALUES ($1, $2, $3, $4, $5, 'active')`, [
      scope.tenantId,
      scope.subject ?? null,
      next,
      wrapped.wrapped,
      wrapped.kmsKeyId,
    ]);
    return next;
  });
}

/**
 * KEK rotation: every live data key of `tenantId` not wrapped by `kms.currentKeyId` is
 * unwrapped (with the KEK it names — still known to the KMS) and wrapped again with the
 * current one. Data is untouched: data keys do not change. Returns how many were re-wrapped.
 */
export async function rewrapDataKeys(ds: DataSource, kms: Kms, tenantId: string): Promise<number> {
  const { tenantId: tenant } = checkScope({ tenantId });
  return withTenant(ds, tenant, async (em) => {
    const rows: Array<{ subject: string | null; version: number; wrapped_key: Buffer; kms_key_id: string }> = await em.query(
      `SELECT subject, version, wrapped_key, kms_key_id FROM keys.data_keys WHERE tenant_id = $1 AND state <> 'destroyed' AND kms_key_id <> $2 FOR UPDATE`,
      [tenant, kms.currentKeyId],
    );
    for (const r of rows) {
      const scope: KeyScope = r.subject === null ? { tenantId: tenant } : { tenantId: tenant, subject: r.subject };
      const plain = await kms.unwrap({ wrapped: r.wrapped_key, kmsKeyId: r.kms_key_id }, scope);
      const again = await kms.wrap(plain, scope);
      plain.fill(0);
      await em.query(`UPDATE keys.data_keys SET wrapped_key = $4, kms_key_id = $5, updated_at = now() WHERE tenant_id = $1 AND subject IS NOT DISTINCT FROM $2 AND version = $3`, [
        tenant,
        r.subject,
        r.version,
        again.wrapped,
        again.kmsKeyId,
      ]);
    }
    return rows.length;
  });
}

/**
 * Crypto-shredding (for erasure): every version of `scope`'s data key is destroyed — the wrapped
 * bytes are removed, so nothing sealed under them opens again, wherever the ciphertext lies
 * (rows, Kafka segments, backups). A subject's scope leaves the tenant's own key alone.
 * Processes drop cached copies within DataKeyCacheOptions.ttlMs. Returns versions destroyed.
 */
export async function destroyDataKeys(ds: DataSource, rawScope: KeyScope): Promise<number> {
  const scope = checkScope(rawScope);
  return withTenant(ds, scope.tenantId, async (em) => shredDataKeys((sql, params) => em.query(sql, params).then((r: unknown) => ({ rowCount: rowCountOf(r) })), scope.tenantId, scope.subject ?? null));
}

/** Which keys `shredDataKeys` destroys: one subject's, the tenant's own (null), or every key of the tenant ('all'). */
export type ShredTarget = string | null | 'all';

/**
 * The one statement that destroys data keys (destroyDataKeys, and erasure in @weaver/privacy
 * inside its own transaction): every live version of the target moves to `destroyed`
 * (`DATA_KEY_TRANSITIONS`: active and retired may) and loses its wrapped bytes. The rows stay as
 * tombstones, so a version is never reused and what was sealed under it fails as
 * KeyDestroyedError, not as a mismatch with a new key. The old bytes may survive in dead tuples
 * and WAL until VACUUM: erasure runs `VACUUM keys.data_keys` afterwards. `query` runs SQL in
 * the caller's transaction with the tenant set (row-level security). Returns keys destroyed.
 */
export async function shredDataKeys(query: (sql: string, params: unknown[]) => Promise<{ rowCount: number | null }>, tenantId: string, target: ShredTarget): Promise<number> {
  if (target !== null && target !== 'all') checkScope({ tenantId, subject: target });
  const live = (['active', 'retired'] as const).filter((s) => canMove(s, 'destroyed'));
  const which = target === 'all' ? '' : ' AND subject IS NOT DISTINCT FROM $3';
  const { rowCount } = await query(
    `UPDATE keys.data_keys SET state = 'destroyed', wrapped_key = NULL, updated_at = now() WHERE tenant_id = $1 AND state = ANY($2::text[])${which}`,
    target === 'all' ? [tenantId, live] : [tenantId, live, target],
  );
  return rowCount ?? 0;
}

/** TypeORM's raw UPDATE result is [rows, count] on PostgreSQL. */
const rowCountOf = (r: unknown): number => (Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0);
