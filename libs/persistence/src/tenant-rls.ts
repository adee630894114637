import type { QueryRunner } from 'typeorm';
import { identifier, literal, qualifiedTable } from './identifiers';

/**
 * The setting as the policies read it. `current_setting(name, true)` is NULL before the setting
 * is first used in a session but '' after a transaction-local value ended, and ''::uuid would
 * raise; NULLIF makes both cases "no tenant", which matches no row.
 */
export function settingExpression(setting: string): string {
  return `NULLIF(current_setting(${literal(setting)}, true), '')`;
}

export interface TenantRlsOptions {
  /** The column holding the tenant id; default `tenant_id` (the tenants table uses `id`). */
  readonly column?: string;
  /** Policy name; default `tenant_isolation`. */
  readonly policy?: string;
}

/**
 * For migrations: enable and FORCE row-level security on a tenant-owned table (FORCE makes the
 * table owner subject to it too) with one policy that limits reads and writes to the tenant
 * set by `withTenant`. Superusers still bypass RLS, which is why each service connects as its own NOSUPERUSER role (weaver_<service>).
 */
export async function enableTenantRls(queryRunner: QueryRunner, table: string, options: TenantRlsOptions = {}): Promise<void> {
  const target = qualifiedTable(table, 'table').sql;
  const column = identifier(options.column ?? 'tenant_id', 'column');
  const policy = identifier(options.policy ?? 'tenant_isolation', 'policy');
  const matches = `${column} = ${settingExpression('weaver.tenant_id')}::uuid`;
  await queryRunner.query(`ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${target} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`CREATE POLICY ${policy} ON ${target} USING (${matches}) WITH CHECK (${matches})`);
}

/** The reverse of enableTenantRls, for a migration's `down`. */
export async function disableTenantRls(queryRunner: QueryRunner, table: string, options: TenantRlsOptions = {}): Promise<void> {
  const target = qualifiedTable(table, 'table').sql;
  await queryRunner.query(`DROP POLICY IF EXISTS ${identifier(options.policy ?? 'tenant_isolation', 'policy')} ON ${target}`);
  await queryRunner.query(`ALTER TABLE ${target} NO FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${target} DISABLE ROW LEVEL SECURITY`);
}
