import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './postgres';

async function whoAmI(url: string): Promise<{ who: string; db: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT current_user AS who, current_database() AS db')).rows[0];
  } finally {
    await client.end();
  }
}

describe('createTestDatabase on the real test cluster', () => {
  it('makes fresh databases side by side, each reachable as weaver_app, and drops them', async () => {
    // Many at once: the shared weaver_app role is altered concurrently, as parallel test files do.
    const dbs: TestDatabase[] = await Promise.all(Array.from({ length: 6 }, () => createTestDatabase()));
    try {
      expect(new Set(dbs.map((d) => d.name)).size).toBe(6);
      for (const db of dbs) expect(await whoAmI(db.appUrl)).toEqual({ who: 'weaver_app', db: db.name });
      const [{ rolsuper, rolbypassrls }] = (await (async () => {
        const c = new Client({ connectionString: dbs[0]!.ownerUrl });
        await c.connect();
        const r = await c.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'weaver_app'");
        await c.end();
        return r.rows;
      })()) as [{ rolsuper: boolean; rolbypassrls: boolean }];
      expect({ rolsuper, rolbypassrls }).toEqual({ rolsuper: false, rolbypassrls: false });
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
    await expect(whoAmI(dbs[0]!.ownerUrl)).rejects.toThrow(/does not exist/);
  });

  it('says what to do when no cluster URL is set', async () => {
    await expect(createTestDatabase('')).rejects.toThrow(/WEAVER_TEST_PG_URL is not set/);
  });
});
