import { Client } from 'pg';
import { DATABASE_SERVICES, migrateTestDatabase, roleOf } from '@weaver/database';
import { createTestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '../src';

async function whoAmI(url: string): Promise<{ who: string; db: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT current_user AS who, current_database() AS db')).rows[0];
  } finally {
    await client.end();
  }
}

describe('the migrate step, run in several databases of one cluster at once', () => {
  it('runs the migrate step in several databases at once (roles are cluster-wide), each service reaching its database as its role', async () => {
    // Parallel test files alter the same roles at once; only the retry on catalog races orders them.
    const dbs = await Promise.all(Array.from({ length: 4 }, async () => migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS)));
    try {
      for (const db of dbs) {
        for (const service of DATABASE_SERVICES) expect(await whoAmI(db.urlOf(service))).toEqual({ who: roleOf(service), db: db.name });
      }
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
  });

});
