import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** What startS3Proxy records, so status/reuse know how to reach the running proxy. */
export interface ProxyState {
  readonly pid: number;
  readonly port: number;
  readonly backend: 'filesystem' | 'transient';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly startedAt: string;
}

export function readState(stateFile: string): ProxyState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as ProxyState;
  } catch {
    return undefined; // a torn write from a killed start: treated as "no state"
  }
}

export function writeState(stateFile: string, state: ProxyState): void {
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function forget(...files: string[]): void {
  for (const file of files) rmSync(file, { force: true });
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Guards against pid reuse: only a JVM running S3Proxy with this dataDir's properties counts. */
export function isOurProxy(pid: number, properties: string): boolean {
  if (!isAlive(pid)) return false;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('org.gaul.s3proxy.Main') && args.includes(properties);
  } catch {
    return false;
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True once anything answers HTTP on the port (S3Proxy answers an unsigned GET with 403). */
export function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
