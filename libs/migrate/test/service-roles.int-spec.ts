import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FailedPreconditionError } from '@weaver/errors';
import { assertLeastPrivilege, createDataSource, leastPrivilegeViolations, openServiceDatabase, provisionServiceRoles, type TablePrivilege } from '@weaver/persistence';
import { DATABASE_SERVICES, grantsOf, migrateTestDatabase, roleOf, type DatabaseService, type ServiceUrls } from '@weaver/database';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '../src';

async function connect<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ALL_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/** What SERVICE_GRANTS says `service` may do on `table` (schema.table). */
function expectedPrivileges(service: DatabaseService, table: string): string[] {
  const schema = table.split('.')[0]!;
  if (table === `${schema}.${schema}_migrations`) {
    // The migration history: readable (a service checks it is up to date), by the roles of that schema only.
    return grantsOf(service, DATABASE_SCHEMAS.map((s) => s.schema)).some((g) => ('table' in g ? g.table : 'sequence' in g ? g.sequence : g.function).startsWith(`${schema}.`)) ? ['SELECT'] : [];
  }
  // A service's own grants, plus the shared schemas' (keys.*: every table of the schema).
  const grants = grantsOf(service, DATABASE_SCHEMAS.map((s) => s.schema));
  return [...new Set(grants.flatMap((g) => ('table' in g && (g.table === table || g.table === `${schema}.*`) ? [...g.privileges] : [])))].sort();
}

describe('the migrate step: one least-privilege role per service (real PostgreSQL)', () => {
  let db: TestDatabase & ServiceUrls;
  const suffix = randomUUID().slice(0, 8);
  const bypass = `lp_bypass_${suffix}`;
  const owner = `lp_owner_${suffix}`;
  const member = `lp_member_${suffix}`;
  const password = 'least-privilege-test-password';
  const urlAs = (role: string): string => {
    const url = new URL(db.ownerUrl);
    url.username = role;
    url.password = password;
    return url.toString();
  };

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    // Roles that break one rule each. A table owner and a member of it; a BYPASSRLS role.
    await connect(db.ownerUrl, async (c) => {
      await c.query(`CREATE ROLE ${bypass} LOGIN BYPASSRLS PASSWORD '${password}'`);
      await c.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${password}'`);
      await c.query(`CREATE ROLE ${member} LOGIN PASSWORD '${password}'`);
      await c.query(`GRANT ${owner} TO ${member}`);
      for (const r of [bypass, owner, member]) await c.query(`GRANT CONNECT ON DATABASE ${db.name} TO ${r}`);
      await c.query(`CREATE SCHEMA lp_demo`);
      await c.query(`GRANT USAGE ON SCHEMA lp_demo TO ${owner}, ${member}, ${bypass}`);
      await c.query(`CREATE TABLE lp_demo.notes (tenant_id uuid NOT NULL, body text)`);
      await c.query(`ALTER TABLE lp_demo.notes ENABLE ROW LEVEL SECURITY`);
      await c.query(`ALTER TABLE lp_demo.notes OWNER TO ${owner}`);
    });
  });

  afterAll(async () => {
    if (db === undefined) return;
    await db.drop();
    const cluster = new URL(db.ownerUrl);
    cluster.pathname = '/postgres';
    await connect(cluster.toString(), async (c) => {
      for (const r of [member, owner, bypass]) await c.query(`DROP ROLE IF EXISTS ${r}`);
    });
  });

  it('creates one login role per service: no superuser, no BYPASSRLS, no CREATEROLE/CREATEDB, member of nothing', async () => {
    const rows = await connect(db.ownerUrl, async (c) =>
      (
        await c.query(
          `SELECT rolname, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication,
                  (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
           FROM pg_roles r WHERE rolname = ANY($1) ORDER BY rolname`,
          [DATABASE_SERVICES.map(roleOf)],
        )
      ).rows,
    );
    expect(rows).toEqual(
      DATABASE_SERVICES.map(roleOf)
        .sort()
        .map((rolname) => ({ rolname, rolcanlogin: true, rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, memberships: 0 })),
    );
  });

  it('grants each role exactly the privileges of SERVICE_GRANTS on every table of every schema, nothing more', async () => {
    const schemas = DATABASE_SCHEMAS.map((s) => s.schema);
    await connect(db.ownerUrl, async (c) => {
      const tables = (await c.query(`SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname = ANY($1) ORDER BY 1`, [schemas])).rows.map((r: { t: string }) => r.t);
      expect(tables.length).toBeGreaterThanOrEqual(14);
      for (const service of DATABASE_SERVICES) {
        for (const table of tables) {
          const held: string[] = [];
          for (const p of ALL_PRIVILEGES) {
            const { rows } = await c.query('SELECT has_table_privilege($1, $2, $3) AS ok', [roleOf(service), table, p]);
            if (rows[0].ok) held.push(p);
          }
          expect({ service, table, held: held.sort() }).toEqual({ service, table, held: expectedPrivileges(service, table) });
        }
      }
      // router.billing_batch: the router may call it; nobody else (not even PUBLIC, PostgreSQL's default).
      for (const service of DATABASE_SERVICES) {
        const { rows } = await c.query(`SELECT has_function_privilege($1, 'router.billing_batch'::regproc, 'EXECUTE') AS ok`, [roleOf(service)]);
        expect({ service, execute: rows[0].ok }).toEqual({ service, execute: service === 'router' });
      }
      const temp = await c.query(`SELECT has_database_privilege($1, current_database(), 'TEMPORARY') AS ok`, [roleOf('gateway')]);
      expect(temp.rows[0].ok).toBe(false);
    });
  });

  it("refuses each role on the other services' schemas and on tables of its own schema it does not use (permission denied)", async () => {
    await connect(db.urlOf('gateway'), async (c) => {
      await expect(c.query('SELECT 1 FROM router.usage_ledger')).rejects.toThrow('permission denied for schema router');
      await expect(c.query('SELECT 1 FROM tenancy.api_keys')).rejects.toThrow('permission denied for schema tenancy');
      await expect(c.query('SELECT 1 FROM runs.memory_long_term')).rejects.toThrow('permission denied for table memory_long_term');
      // The gateway moves runs (cancel, retry: UPDATE runs.runs since issue 12) but never deletes them or rewrites steps.
      await expect(c.query(`DELETE FROM runs.runs`)).rejects.toThrow('permission denied for table runs');
      await expect(c.query(`UPDATE runs.steps SET status = 'failed'`)).rejects.toThrow('permission denied for table steps');
      await expect(c.query(`SELECT router.billing_batch(NULL, '{}', '{}', '{}', 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')`)).rejects.toThrow(
        'permission denied for schema router',
      );
    });
    await connect(db.urlOf('agent-runner'), async (c) => {
      await expect(c.query('SELECT 1 FROM runs.trigger_outbox')).rejects.toThrow('permission denied for table trigger_outbox');
      await expect(c.query('SELECT 1 FROM publisher.results')).rejects.toThrow('permission denied for schema publisher');
      await expect(c.query('DELETE FROM runs.steps')).rejects.toThrow('permission denied for table steps');
    });
    await connect(db.urlOf('publisher'), async (c) => {
      await expect(c.query('SELECT 1 FROM runs.runs')).rejects.toThrow('permission denied for schema runs');
      await expect(c.query('DELETE FROM publisher.results')).rejects.toThrow('permission denied for table results');
    });
    for (const [service, table] of [['tenancy', 'registry.agent_instances'], ['registry', 'tenancy.tenants'], ['router', 'runs.steps']] as const) {
      await connect(db.urlOf(service), async (c) => {
        await expect(c.query(`SELECT 1 FROM ${table}`)).rejects.toThrow(`permission denied for schema ${table.split('.')[0]}`);
      });
    }
  });

  it('refuses DDL and TRUNCATE to every role, in its own schema too', async () => {
    const own: Record<DatabaseService, string> = {
      tenancy: 'tenancy.tenants',
      registry: 'registry.agent_definitions',
      publisher: 'publisher.results',
      router: 'router.usage_ledger',
      'agent-runner': 'runs.runs',
      gateway: 'runs.trigger_outbox',
    };
    for (const service of DATABASE_SERVICES) {
      const table = own[service];
      const schema = table.split('.')[0]!;
      await connect(db.urlOf(service), async (c) => {
        await expect(c.query(`CREATE TABLE ${schema}.sneaky (id int)`)).rejects.toThrow(`permission denied for schema ${schema}`);
        await expect(c.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`)).rejects.toThrow('must be owner of table');
        await expect(c.query(`DROP TABLE ${table}`)).rejects.toThrow('must be owner of table');
        await expect(c.query(`TRUNCATE ${table}`)).rejects.toThrow('permission denied for table');
        await expect(c.query('CREATE TEMP TABLE scratch (id int)')).rejects.toThrow('permission denied to create temporary tables');
        await expect(c.query(`CREATE SCHEMA ${schema}_mine`)).rejects.toThrow('permission denied for database');
      });
    }
  });

  it('lets every service role pass the start-up check, and open its schema', async () => {
    for (const service of DATABASE_SERVICES) {
      await connect(db.urlOf(service), async (c) => expect(await assertLeastPrivilege(c)).toBe(roleOf(service)));
    }
    const schemaOf = { tenancy: 'tenancy', registry: 'registry', publisher: 'publisher', router: 'router', 'agent-runner': 'runs', gateway: 'runs' } as const;
    for (const service of DATABASE_SERVICES) {
      const entry = DATABASE_SCHEMAS.find((s) => s.schema === schemaOf[service])!;
      const ds = await openServiceDatabase({ url: db.urlOf(service), ...entry, poolSize: 1 });
      await ds.destroy();
    }
  });

  const refusal = (url: string, schema = 'tenancy') => openServiceDatabase({ url, ...DATABASE_SCHEMAS.find((s) => s.schema === schema)!, poolSize: 1 });

  it('refuses to serve as a superuser, naming the rule and the role', async () => {
    const attempt = refusal(db.ownerUrl);
    await expect(attempt).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(attempt).rejects.toThrow('refusing to serve as database role "postgres": rule "superuser": role "postgres" is a superuser');
  });

  it('refuses to serve as a BYPASSRLS role', async () => {
    await expect(refusal(urlAs(bypass))).rejects.toThrow(`refusing to serve as database role "${bypass}": rule "bypassrls": role "${bypass}" has BYPASSRLS`);
  });

  it('refuses to serve as the owner of a (tenant) table, naming the table', async () => {
    await expect(refusal(urlAs(owner))).rejects.toThrow(`rule "owns-tenant-table": role "${owner}" owns a table under row-level security (an owner can disable the policy) ("lp_demo.notes")`);
  });

  it('refuses to serve as a member of an owner role, directly or through another role', async () => {
    await expect(refusal(urlAs(member))).rejects.toThrow(`rule "member-of-owner": role "${member}" is a member of a role that owns tables, schemas or functions here ("${owner}")`);
    const via = `lp_via_${suffix}`;
    await connect(db.ownerUrl, async (c) => {
      await c.query(`CREATE ROLE ${via} NOLOGIN`);
      await c.query(`GRANT ${owner} TO ${via}`);
      try {
        expect(await leastPrivilegeViolations(c, via)).toEqual([{ rule: 'member-of-owner', role: via, object: owner }]);
        // A member of the superuser, through a role in between, is refused as such.
        await c.query(`REVOKE ${owner} FROM ${via}`);
        await c.query(`GRANT postgres TO ${via}`);
        expect((await leastPrivilegeViolations(c, via)).map((v) => v.rule)).toContain('member-of-superuser');
      } finally {
        await c.query(`DROP ROLE ${via}`);
      }
    });
  });

  it('fails the migrate step itself when a planned role would break a rule (caught at deploy time)', async () => {
    const ds = await createDataSource({ url: db.ownerUrl, schema: 'public', poolSize: 1 }).initialize();
    try {
      const grants = [{ table: 'lp_demo.notes', privileges: ['SELECT'] as TablePrivilege[] }];
      const attempt = provisionServiceRoles(ds, { schemas: ['lp_demo'], roles: [{ role: member, password: 'a-password-of-16-chars', grants }] });
      await expect(attempt).rejects.toThrow(`the migrate step made role "${member}" unfit to serve: rule "member-of-owner"`);
    } finally {
      await ds.destroy();
    }
  });
});
