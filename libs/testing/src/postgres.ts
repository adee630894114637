/**
 * PostgreSQL fixtures for tests and the dev stack. Only `pg` and Node built-ins here, no
 * `@weaver/*` aliases: the jest global setup loads files through Node's own require, where the
 * tsconfig path aliases do not resolve.
 */
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';

/** The role services connect as (see docs/conventions.md, "Database"). */
export const APP_ROLE = 'weaver_app';
/** weaver_app's password in test clusters; the role is cluster-wide, so all test files share it. */
export const TEST_APP_PASSWORD = 'weaver_app_test';

export interface BootstrapOptions {
  readonly appRole?: string;
  readonly appPassword?: string;
}

export interface BootstrappedDatabase {
  readonly name: string;
  /** The superuser URL pointed at this database: run migrations with it. */
  readonly ownerUrl: string;
  /** The app role's URL for this database: what a service's DATABASE_URL holds. */
  readonly appUrl: string;
}

export interface TestDatabase extends BootstrappedDatabase {
  /** Drops the database, closing any connections left open. */
  drop(): Promise<void>;
}

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

function urlFor(base: string, database: string, credentials?: { user: string; password: string }): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (credentials !== undefined) {
    url.username = encodeURIComponent(credentials.user);
    url.password = encodeURIComponent(credentials.password);
  }
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

/** Retries `work` when it lost a race on a shared catalog row (see @weaver/persistence retryCatalogRace). */
async function retryCatalogRace(work: () => Promise<void>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const { code = '', message = '' } = error as { code?: string; message?: string };
      const race = code === '23505' || code === '42710' || (code === 'XX000' && /tuple concurrently (updated|deleted)/.test(message));
      if (!race || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** Swallows the error a concurrent creator of the same object causes; rethrows anything else. */
function ignoreCode(...codes: string[]): (error: unknown) => void {
  return (error: unknown) => {
    if (!codes.includes((error as { code?: string }).code ?? '')) throw error;
  };
}

/**
 * Creates `dbName` if missing and the app role (LOGIN, no superuser, no RLS bypass) if missing,
 * sets its password and lets it connect. Idempotent and safe to race from parallel test files.
 * Schema and table grants come later, from each service's migrations (`ensureAppRole`).
 */
export async function bootstrapDatabase(superuserUrl: string, dbName: string, options: BootstrapOptions = {}): Promise<BootstrappedDatabase> {
  const role = options.appRole ?? APP_ROLE;
  const password = options.appPassword ?? TEST_APP_PASSWORD;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
    throw new Error(`dbName: must match [a-z_][a-z0-9_]{0,62} (got "${dbName}")`);
  }
  await withClient(superuserUrl, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`).catch(ignoreCode(DUPLICATE_DATABASE, UNIQUE_VIOLATION));
    const attributes = 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION';
    // Parallel test files (and services) alter the same cluster-wide role: concurrent ALTERs fail
    // with "tuple concurrently updated" rather than queue, and advisory locks only order work
    // within one database, so the whole transaction is retried on such a race.
    await retryCatalogRace(async () => {
      await client.query('BEGIN');
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('weaver.app_role'))");
        const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (found.rowCount === 0) await client.query(`CREATE ROLE ${escapeIdentifier(role)} ${attributes}`);
        // Re-assert the attributes: a pre-existing role of that name must not keep a bypass.
        await client.query(`ALTER ROLE ${escapeIdentifier(role)} ${attributes} PASSWORD ${escapeLiteral(password)}`);
        await client.query(`GRANT CONNECT ON DATABASE ${escapeIdentifier(dbName)} TO ${escapeIdentifier(role)}`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
  });
  return {
    name: dbName,
    ownerUrl: urlFor(superuserUrl, dbName),
    appUrl: urlFor(superuserUrl, dbName, { user: role, password }),
  };
}

/** A fresh, randomly named database per test file, with weaver_app able to connect. */
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
