import { Client } from 'pg';
import { createTestDatabase, TEST_APP_PASSWORD } from '@weaver/testing';
import { createDataSource, ensureAppRole } from '../src';

async function whoAmI(url: string): Promise<{ who: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT current_user AS who')).rows[0];
  } finally {
    await client.end();
  }
}

describe('the app role under concurrent starts', () => {
  it('survives services and test files altering weaver_app at once from different databases', async () => {
    const dbs = await Promise.all(Array.from({ length: 4 }, () => createTestDatabase()));
    const owners = await Promise.all(dbs.map((db) => createDataSource({ url: db.ownerUrl, schema: 'public', poolSize: 1 }).initialize()));
    try {
      // Advisory locks are per database, so nothing orders these but the retry on catalog races.
      for (let round = 0; round < 3; round += 1) {
        await Promise.all([
          ...owners.map((ds) => ensureAppRole(ds, { password: TEST_APP_PASSWORD })),
          ...Array.from({ length: 2 }, () => createTestDatabase().then((db) => dbs.push(db))),
        ]);
      }
      for (const db of dbs) expect((await whoAmI(db.appUrl)).who).toBe('weaver_app');
    } finally {
      await Promise.all(owners.map((ds) => ds.destroy()));
      await Promise.all(dbs.map((db) => db.drop()));
    }
  });

});
