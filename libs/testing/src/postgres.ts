/**
 * PostgreSQL fixtures for tests and the dev stack. Only `pg` and Node built-ins here, no
 * `@weaver/*` aliases: the jest global setup loads files through Node's own require, where the
 * tsconfig path aliases do not resolve.
 */
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';

export interface BootstrappedDatabase {
  readonly name: string;
  /** The superuser URL pointed at this database: the migrate step's owner URL. */
  readonly ownerUrl: string;
}

export interface TestDatabase extends BootstrappedDatabase {
  /** Drops the database, closing any connections left open. */
  drop(): Promise<void>;
}

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Swallows the error a concurrent creator of the same object causes; rethrows anything else. */
function ignoreCode(...codes: string[]): (error: unknown) => void {
  return (error: unknown) => {
    if (!codes.includes((error as { code?: string }).code ?? '')) throw error;
  };
}

/**
 * Creates `dbName` if missing; idempotent and safe to race from parallel test files. Its roles
 * and grants come from the migrate step (`migrateTestDatabase` from @weaver/database).
 */
export async function bootstrapDatabase(superuserUrl: string, dbName: string): Promise<BootstrappedDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
    throw new Error(`dbName: must match [a-z_][a-z0-9_]{0,62} (got "${dbName}")`);
  }
  await withClient(superuserUrl, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`).catch(ignoreCode(DUPLICATE_DATABASE, UNIQUE_VIOLATION));
  });
  return { name: dbName, ownerUrl: urlFor(superuserUrl, dbName) };
}

/** A fresh, randomly named, empty database per test file (no roles: see migrateTestDatabase in @weaver/database). */
export async function createTestDatabase(superuserUrl: string | undefined = process.env['WEAVER_TEST_PG_URL']): Promise<TestDatabase> {
  if (superuserUrl === undefined || superuserUrl === '') {
    throw new Error('WEAVER_TEST_PG_URL is not set: run integration tests with jest.integration.config.js (its global setup starts PostgreSQL)');
  }
  const name = `weaver_test_${randomBytes(6).toString('hex')}`;
  const db = await bootstrapDatabase(superuserUrl, name);
  return {
    ...db,
    drop: () => withClient(superuserUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    }),
  };
}
