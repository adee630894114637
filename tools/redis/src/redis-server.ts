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

export async function startRedis(options: { port?: number; binary?: string; timeoutMs?: number } = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const child = spawn(options.binary ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
