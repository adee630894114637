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

  it('says what to do when no cluster URL is set', async () => {
    await expect(createTestDatabase('')).rejects.toThrow(/WEAVER_TEST_PG_URL is not set/);
  });
});
