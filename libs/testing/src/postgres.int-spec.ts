import { Client } from 'pg';
import { DATABASE_SERVICES, roleOf } from '@weaver/database';
import { createMigratedTestDatabase, type MigratedTestDatabase } from './migrated-database';
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

describe('test databases on the real test cluster', () => {
  it('makes fresh empty databases side by side, and drops them', async () => {
    const dbs: TestDatabase[] = await Promise.all(Array.from({ length: 4 }, () => createTestDatabase()));
    try {
      expect(new Set(dbs.map((d) => d.name)).size).toBe(4);
      for (const db of dbs) expect(await whoAmI(db.ownerUrl)).toEqual({ who: 'postgres', db: db.name });
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
    await expect(whoAmI(dbs[0]!.ownerUrl)).rejects.toThrow(/does not exist/);
  });

  it('runs the migrate step in several databases at once (roles are cluster-wide), each service reaching its database as its role', async () => {
    // Parallel test files alter the same roles at once; only the retry on catalog races orders them.
    const dbs: MigratedTestDatabase[] = await Promise.all(Array.from({ length: 4 }, () => createMigratedTestDatabase()));
    try {
      for (const db of dbs) {
        for (const service of DATABASE_SERVICES) expect(await whoAmI(db.urlOf(service))).toEqual({ who: roleOf(service), db: db.name });
      }
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
  });

  it('says what to do when no cluster URL is set', async () => {
    await expect(createTestDatabase('')).rejects.toThrow(/WEAVER_TEST_PG_URL is not set/);
  });
});
