/**
 * Start and stop a local Redis (Debian's `redis-server`) for tests, benchmarks and local runs:
 * no persistence, loopback only, on a chosen or free port.
 *
 *   const redis = await startRedis();       // { url: 'redis://127.0.0.1:<port>', port, stop() }
 *   ...
 *   await redis.stop();
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export interface RunningRedis {
  pid: number;
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' }, () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.once('error', () => resolve(false));
  });
}

/**
 * `persistence: 'aof'` turns on Redis' durable mode (append-only file, fsync every second, in
 * `dir`), e.g. to benchmark a durable queue; the default keeps nothing on disk.
 */
export async function startRedis(options: { port?: number; binary?: string; timeoutMs?: number; persistence?: { dir: string } } = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const persistence = options.persistence ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', options.persistence.dir] : ['--appendonly', 'no'];
  const child = spawn(options.binary ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start redis-server (apt-get install redis-server): ${e.message}`))));
  const until = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (await Promise.race([ping(port), failed])) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} in time`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
