import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { postgresStatus, PostgresToolError, startPostgres, stopPostgres, type RunningPostgres } from '../src/embedded';

/** A free port right now (the OS picks it). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

describe('tools/postgres: a real local PostgreSQL', () => {
  const parent = mkdtempSync(join(tmpdir(), 'weaver-pg-tool-'));
  const dataDir = join(parent, 'data');
  let pg: RunningPostgres;
  let port: number;

  beforeAll(async () => {
    chmodSync(parent, 0o755); // as root the server runs as OS user postgres, which must enter it
    port = await freePort();
    pg = await startPostgres({ dataDir, port, password: 'pw-for-test', durability: 'fast' });
  });

  afterAll(async () => {
    await stopPostgres(dataDir);
    rmSync(parent, { recursive: true, force: true });
  });

  it('initialises once, serves SQL at the superuser URL, and reports running', async () => {
    expect(pg.reused).toBe(false);
    const client = new Client({ connectionString: pg.superuserUrl });
    await client.connect();
    const { rows } = await client.query('SELECT current_user AS who, current_setting($1) AS port', ['port']);
    await client.end();
    expect(rows).toEqual([{ who: 'postgres', port: String(port) }]);
    expect(postgresStatus(dataDir)).toMatchObject({ state: 'running', port, pid: pg.pid });
  });

  it('reuses the running server, and refuses another port or a wrong password', async () => {
    const again = await startPostgres({ dataDir, port, password: 'pw-for-test' });
    expect(again).toMatchObject({ reused: true, pid: pg.pid });
    await expect(startPostgres({ dataDir, port: port + 1, password: 'pw-for-test' })).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    await expect(startPostgres({ dataDir, port, password: 'wrong' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('stops, then restarts from the same data dir', async () => {
    expect(await stopPostgres(dataDir)).toBe(true);
    expect(postgresStatus(dataDir)).toEqual({ state: 'stopped', dataDir, initialised: true });
    expect(await stopPostgres(dataDir)).toBe(false);
    pg = await startPostgres({ dataDir, port, password: 'pw-for-test', durability: 'fast' });
    expect(pg.reused).toBe(false);
  });

  it('names the problem for a bad port', async () => {
    const error = await startPostgres({ dataDir: join(parent, 'other'), port: 70000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresToolError);
    expect((error as PostgresToolError).message).toBe('port must be 1-65535, got 70000');
  });
});
