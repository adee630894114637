import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** What PostgreSQL itself writes to `<dataDir>/postmaster.pid` (see `pidfile.h` in its source). */
export interface Postmaster {
  readonly pid: number;
  readonly port: number;
  /** "starting", "ready", "stopping" or "standby" (PostgreSQL ≥ 10). */
  readonly status: string;
}

export function readPostmaster(dataDir: string): Postmaster | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

/**
 * A stale postmaster.pid survives a crash or reboot; only a live process whose command line is
 * a postgres server for this dataDir counts (guards against pid reuse). Without /proc, liveness.
 */
export function isOurServer(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return (args[0] ?? '').endsWith('postgres') && args.includes(dataDir);
  } catch {
    return false;
  }
}

/** The live server started from dataDir, if any. */
export function runningPostmaster(dataDir: string): Postmaster | undefined {
  const postmaster = readPostmaster(dataDir);
  return postmaster !== undefined && isOurServer(postmaster.pid, dataDir) ? postmaster : undefined;
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
