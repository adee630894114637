import type { DataSource, EntityManager } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import type { DataKeyState } from './data-key-state';
import type { KeyScope } from './key-scope';
import type { WrappedKey } from './kms';

export interface StoredDataKey {
  readonly scope: KeyScope;
  readonly version: number;
  readonly state: DataKeyState;
  /** Undefined once destroyed. */
  readonly wrapped?: WrappedKey;
}

interface Row {
  subject: string | null;
  version: number;
  wrapped_key: Buffer | null;
  kms_key_id: string;
  state: DataKeyState;
}

const subjectOf = (scope: KeyScope): string | null => scope.subject ?? null;
const toKey = (tenantId: string, r: Row): StoredDataKey => ({
  scope: r.subject === null ? { tenantId } : { tenantId, subject: r.subject },
  version: r.version,
  state: r.state,
  ...(r.wrapped_key ? { wrapped: { wrapped: r.wrapped_key, kmsKeyId: r.kms_key_id } } : {}),
});

/** What the DataKeyCache reads keys from (DataKeyStore; an in-memory one in unit tests). */
export interface DataKeySource {
  active(scope: KeyScope): Promise<StoredDataKey | undefined>;
  version(scope: KeyScope, version: number): Promise<StoredDataKey | undefined>;
  createFirst(scope: KeyScope, wrapped: WrappedKey): Promise<StoredDataKey | undefined>;
}

/**
 * `keys.data_keys` as every service uses it: read, and create lazily (INSERT ... ON CONFLICT DO
 * NOTHING, then re-read: two services creating a tenant's first key at once agree on the one
 * that landed first). Updates (rotation, re-wrap, shredding) are in key-admin.ts, for tenancy.
 */
export class DataKeyStore implements DataKeySource {
  constructor(private readonly ds: DataSource) {}

  /** The active key of a scope (highest version), if any. */
  async active(scope: KeyScope): Promise<StoredDataKey | undefined> {
    return withTenant(this.ds, scope.tenantId, (em) => this.activeIn(em, scope));
  }

  async activeIn(em: EntityManager, scope: KeyScope): Promise<StoredDataKey | undefined> {
    const rows: Row[] = await em.query(
      `SELECT subject, version, wrapped_key, kms_key_id, state FROM keys.data_keys
       WHERE tenant_id = $1 AND subject IS NOT DISTINCT FROM $2 AND state = 'active' ORDER BY version DESC LIMIT 1`,
      [scope.tenantId, subjectOf(scope)],
    );
    return rows[0] && toKey(scope.tenantId, rows[0]);
  }

  async version(scope: KeyScope, version: number): Promise<StoredDataKey | undefined> {
    const rows: Row[] = await withTenant(this.ds, scope.tenantId, (em) =>
      em.query(`SELECT subject, version, wrapped_key, kms_key_id, state FROM keys.data_keys WHERE tenant_id = $1 AND subject IS NOT DISTINCT FROM $2 AND version = $3`, [
        scope.tenantId,
        subjectOf(scope),
        version,
      ]),
    );
    return rows[0] && toKey(scope.tenantId, rows[0]);
  }

  /**
   * Inserts version 1 for a scope that has no key yet and returns whichever key is active
   * afterwards (ours, or the one another process inserted first). Undefined when the scope's
   * keys exist but none is active (all destroyed: an erased subject gets no new key here).
   */
  async createFirst(scope: KeyScope, wrapped: WrappedKey): Promise<StoredDataKey | undefined> {
    return withTenant(this.ds, scope.tenantId, async (em) => {
      await em.query(
        `INSERT INTO keys.data_keys (tenant_id, subject, version, wrapped_key, kms_key_id, state) VALUES ($1, $2, 1, $3, $4, 'active')
         ON CONFLICT ON CONSTRAINT data_keys_scope_version DO NOTHING`,
        [scope.tenantId, subjectOf(scope), wrapped.wrapped, wrapped.kmsKeyId],
      );
      return this.activeIn(em, scope);
    });
  }
}
