import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { createDataSource, enableTenantRls, migrateDatabase, openServiceDatabase, provisionServiceRoles, runMigrations, withTenant } from '../src';

const SCHEMA = 'rls_demo';
/** This file's service role (cluster-wide: one fixed name and password for every run). */
const ROLE = 'weaver_rls_demo';
const PASSWORD = 'weaver-rls-demo-password';
const roleSpec = { role: ROLE, password: PASSWORD, grants: [{ table: `${SCHEMA}.notes`, privileges: ['SELECT', 'INSERT', 'UPDATE'] as const }] };
const appUrlOf = (ownerUrl: string): string => {
  const url = new URL(ownerUrl);
  url.username = ROLE;
  url.password = PASSWORD;
  return url.toString();
};

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE ${SCHEMA}.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, body text NOT NULL)`);
    await enableTenantRls(qr, `${SCHEMA}.notes`);
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE ${SCHEMA}.notes`);
  }
}

const countAll = async (q: { query(sql: string): Promise<unknown> }): Promise<number> =>
  Number(((await q.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.notes`)) as { n: number }[])[0]!.n);

const countAs = async (c: Client): Promise<number> => Number((await c.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.notes`)).rows[0].n);

async function superuser<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('row-level security through withTenant, as a service role', () => {
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const ownerRole = `rls_owner_${randomUUID().slice(0, 8)}`;
  let db: TestDatabase;
  let app: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { applied } = await migrateDatabase({ ownerUrl: db.ownerUrl, schemas: [{ schema: SCHEMA, migrations: [CreateNotes1700000000000] }], roles: [roleSpec] });
    expect(applied).toEqual({ [SCHEMA]: ['CreateNotes1700000000000'] });
    // poolSize 1: every call below reuses the one connection, so settings leaking between
    // transactions would show.
    app = await createDataSource({ url: appUrlOf(db.ownerUrl), schema: SCHEMA, poolSize: 1 }).initialize();
    await withTenant(app, tenantA, (em) => em.query(`INSERT INTO ${SCHEMA}.notes (tenant_id, body) VALUES ($1, 'a1'), ($1, 'a2')`, [tenantA]));
    await withTenant(app, tenantB, (em) => em.query(`INSERT INTO ${SCHEMA}.notes (tenant_id, body) VALUES ($1, 'b1')`, [tenantB]));
  });

  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
    if (db !== undefined) await superuser(db.ownerUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1'), (c) => c.query(`DROP ROLE IF EXISTS ${ownerRole}`));
  });

  it('migrations are applied once', async () => {
    expect(await runMigrations({ url: db.ownerUrl, schema: SCHEMA, migrations: [CreateNotes1700000000000] })).toEqual([]);
  });

  it('opens a service database as the role in its URL, after the migrate step', async () => {
    const ds = await openServiceDatabase({ url: appUrlOf(db.ownerUrl), schema: SCHEMA, migrations: [CreateNotes1700000000000], poolSize: 1 });
    try {
      expect(await ds.query('SELECT current_user AS who')).toEqual([{ who: ROLE }]);
      // The migration history belongs to the owner: readable, not writable, for the app.
      await expect(ds.query(`DELETE FROM ${SCHEMA}.${SCHEMA}_migrations`)).rejects.toThrow(/permission denied/);
    } finally {
      await ds.destroy();
    }
  });

  it('refuses to serve a schema with pending migrations (a service never migrates)', async () => {
    class AddColour1700000000001 implements MigrationInterface {
      name = 'AddColour1700000000001';
      async up(qr: QueryRunner): Promise<void> {
        await qr.query(`ALTER TABLE ${SCHEMA}.notes ADD COLUMN colour text`);
      }
      async down(): Promise<void> {}
    }
    const attempt = openServiceDatabase({ url: appUrlOf(db.ownerUrl), schema: SCHEMA, migrations: [CreateNotes1700000000000, AddColour1700000000001], poolSize: 1 });
    await expect(attempt).rejects.toThrow('schema "rls_demo" has pending migrations');
  });

  it('refuses to turn a superuser into a service role', async () => {
    const owner = await createDataSource({ url: db.ownerUrl, schema: SCHEMA, poolSize: 1 }).initialize();
    try {
      await expect(provisionServiceRoles(owner, { schemas: [SCHEMA], roles: [{ ...roleSpec, role: 'postgres' }] })).rejects.toThrow(/superuser or the migrating owner/);
      const [{ rolsuper }] = (await owner.query("SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'")) as [{ rolsuper: boolean }];
      expect(rolsuper).toBe(true);
    } finally {
      await owner.destroy();
    }
  });

  it("shows each tenant only its own rows", async () => {
    const bodies = (t: string) => withTenant(app, t, async (em) => ((await em.query(`SELECT body FROM ${SCHEMA}.notes ORDER BY body`)) as { body: string }[]).map((r) => r.body));
    expect(await bodies(tenantA)).toEqual(['a1', 'a2']);
    expect(await bodies(tenantB)).toEqual(['b1']);
    expect(await bodies(randomUUID())).toEqual([]);
  });

  it("refuses to write a row for another tenant (WITH CHECK)", async () => {
    await expect(
      withTenant(app, tenantA, (em) => em.query(`INSERT INTO ${SCHEMA}.notes (tenant_id, body) VALUES ($1, 'sneaky')`, [tenantB])),
    ).rejects.toThrow(/violates row-level security policy/);
    await expect(withTenant(app, tenantA, (em) => em.query(`UPDATE ${SCHEMA}.notes SET tenant_id = $1`, [tenantB]))).rejects.toThrow(/violates row-level security policy/);
    // Nothing moved: B still has exactly its one row.
    expect(await withTenant(app, tenantB, countAll)).toBe(1);
  });

  it('sees nothing outside withTenant, also on a connection a tenant transaction used before', async () => {
    await withTenant(app, tenantA, countAll);
    expect(await countAll(app)).toBe(0);
  });

  it('rejects a tenant id that is not a UUID, naming the field', async () => {
    const attempt = withTenant(app, "x' OR true --", countAll);
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow('tenantId: must be a UUID');
  });

  it('gives the service role no way around the policy', async () => {
    const [role] = (await app.query('SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = $1', [ROLE])) as Record<string, boolean>[];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
    const runner = app.createQueryRunner();
    try {
      await runner.query('SET row_security = off');
      // With row_security off PostgreSQL errors instead of silently filtering for a role subject to a policy.
      await expect(countAll(runner)).rejects.toThrow(/would be affected by row-level security policy/);
      await runner.query('RESET row_security');
    } finally {
      await runner.release();
    }
    await expect(app.query(`ALTER TABLE ${SCHEMA}.notes DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER ROLE ${ROLE} BYPASSRLS`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE TABLE ${SCHEMA}.mine (id int)`)).rejects.toThrow(/permission denied/);
  });

  it('applies the policy to a non-superuser table owner too (FORCE)', async () => {
    await superuser(db.ownerUrl, async (c) => {
      const [{ relforcerowsecurity }] = (await c.query(`SELECT relforcerowsecurity FROM pg_class WHERE oid = '${SCHEMA}.notes'::regclass`)).rows as [{ relforcerowsecurity: boolean }];
      expect(relforcerowsecurity).toBe(true);
      await c.query(`CREATE ROLE ${ownerRole} NOLOGIN`);
      await c.query(`GRANT USAGE ON SCHEMA ${SCHEMA} TO ${ownerRole}`);
      await c.query(`ALTER TABLE ${SCHEMA}.notes OWNER TO ${ownerRole}`);
      await c.query('BEGIN');
      await c.query(`SET LOCAL ROLE ${ownerRole}`);
      expect(await countAs(c)).toBe(0);
      await c.query("SELECT set_config('weaver.tenant_id', $1, true)", [tenantA]);
      expect(await countAs(c)).toBe(2);
      await c.query('ROLLBACK');
      await c.query(`ALTER TABLE ${SCHEMA}.notes OWNER TO CURRENT_USER`);
    });
  });
});
