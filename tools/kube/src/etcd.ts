/**
 * A single-member etcd for tests (built from the Go module proxy by tools/gobin): loopback,
 * plain HTTP, a fresh data directory per start, no fsync (test data is thrown away).
 */
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/gobin and tools/kafka are dev tools, not Nx projects (as in the global setup)
import { ensureGoTool } from '../../gobin/src/gobin';
import { portFromEnv, startProcess, waitUntilUp, type TestProcess } from './processes';

export interface RunningEtcd {
  readonly url: string;
  readonly process: TestProcess;
  stop(): Promise<void>;
}

export async function startEtcd(dir: string): Promise<RunningEtcd> {
  const clientPort = portFromEnv('WEAVER_TEST_ETCD_CLIENT_PORT', 22379);
  const peerPort = portFromEnv('WEAVER_TEST_ETCD_PEER_PORT', 22380);
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const dataDir = join(dir, 'etcd-data');
  mkdirSync(dataDir, { recursive: true });
  const proc = startProcess('etcd', ensureGoTool('etcd'), [
    '--name', 'weaver-test',
    '--data-dir', dataDir,
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `weaver-test=${peer}`,
    '--unsafe-no-fsync',
    '--log-level', 'warn',
  ], join(dir, 'etcd.log'));
  await waitUntilUp(proc, () => healthy(url), 30_000);
  return { url, process: proc, stop: () => proc.stop() };
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.once('error', () => resolve(false));
    req.end();
  });
}
