import type { DataSource, EntityManager } from 'typeorm';
import { ValidationError } from '@weaver/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTING = /^weaver\.[a-z_]+$/;

/** The GUC that row-level security policies compare `tenant_id` with. */
export const TENANT_SETTING = 'weaver.tenant_id';

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, field: string): void {
  if (typeof value !== 'string' || !UUID.test(value)) throw new ValidationError([{ field, rule: 'must be a UUID' }]);
}

/**
 * Runs `work` in one transaction with `weaver.*` settings applied first, local to that
 * transaction (`set_config(..., true)`), so a pooled connection never carries them into the
 * next unit of work.
 */
export async function withSettings<T>(ds: DataSource, settings: Readonly<Record<string, string>>, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (const name of Object.keys(settings)) {
    if (!SETTING.test(name)) throw new ValidationError([{ field: `settings.${name}`, rule: 'must be a "weaver.<name>" setting' }]);
  }
  return ds.transaction(async (em) => {
    for (const [name, value] of Object.entries(settings)) {
      await em.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    return work(em);
  });
}

/** Runs `work` in one transaction in which row-level security shows only `tenantId`'s rows. */
export async function withTenant<T>(ds: DataSource, tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  assertUuid(tenantId, 'tenantId');
  return withSettings(ds, { [TENANT_SETTING]: tenantId.toLowerCase() }, work);
}
