/**
 * A real Kubernetes API server for integration tests: etcd + kube-apiserver (both built from
 * the Go module proxy by tools/gobin, cached under ~/.cache/weaver/go), loopback only, no
 * controller-manager and no scheduler — objects are stored, validated, defaulted, admitted
 * and watched exactly as in a cluster, but nothing acts on them (a Deployment gets no pods,
 * and there is no garbage collector: ownerReferences are recorded, not followed).
 *
 *   const kube = await startKubeApiServer();   // { server, caFile, kubeconfig('admin' | identity), stop() }
 *
 * Authentication: a static token for `admin` (group system:masters) and client certificates
 * from the development CA (tools/certs: user = CN, group = O "weaver") for identities such as
 * `weaver-operator`, so a test can run a component under RBAC with only the role it documents.
 * Authorization: RBAC. Ports: WEAVER_TEST_KUBE_APISERVER_PORT (26443),
 * WEAVER_TEST_ETCD_CLIENT_PORT (22379), WEAVER_TEST_ETCD_PEER_PORT (22380).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevCertificates, type DevCertificates } from '@weaver/certs';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/gobin and tools/kafka are dev tools, not Nx projects (as in the global setup)
import { ensureGoTool } from '../../gobin/src/gobin';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/gobin and tools/kafka are dev tools, not Nx projects (as in the global setup)
import { cacheRoot } from '../../kafka/src/paths';
import { startEtcd } from './etcd';
import { portFromEnv, startProcess, waitUntilUp } from './processes';

export interface RunningKubeApiServer {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  readonly caFile: string;
  /** The path of a kubeconfig file for `admin` (static token, system:masters) or a certificate identity. */
  kubeconfig(user: 'admin' | string): string;
  stop(): Promise<void>;
}

export interface KubeApiServerOptions {
  /** Client-certificate identities to make (besides `admin`, which uses a token). */
  identities?: readonly string[];
  timeoutMs?: number;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<RunningKubeApiServer> {
  const identities = ['kube-apiserver', ...(options.identities ?? [])];
  const certs = ensureDevCertificates(join(cacheRoot(), 'kube', 'dev-certs'), identities);
  const dir = mkdtempSync(join(tmpdir(), 'weaver-kube-'));
  const port = portFromEnv('WEAVER_TEST_KUBE_APISERVER_PORT', 26443);
  const server = `https://127.0.0.1:${port}`;
  const adminToken = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin,"system:masters"\n`, { mode: 0o600 });
  const sa = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));

  const etcd = await startEtcd(dir);
  const tls = certs.env('kube-apiserver');
  const proc = startProcess('kube-apiserver', ensureGoTool('kube-apiserver'), [
    `--etcd-servers=${etcd.url}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // The `kubernetes` Service's endpoints would have to be a non-loopback address; nothing here uses that Service.
    '--endpoint-reconciler-type=none',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'certs')}`,
    `--tls-cert-file=${tls.GRPC_TLS_CERT_FILE}`,
    `--tls-private-key-file=${tls.GRPC_TLS_KEY_FILE}`,
    `--client-ca-file=${certs.caFile}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    // Service-account tokens are not used by the tests, but the server refuses to start without an issuer and keys.
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    // Only an allocation range for Service objects; no traffic goes there.
    '--service-cluster-ip-range=10.96.0.0/24',
    '--profiling=false',
    '--v=1',
  ], join(dir, 'kube-apiserver.log'));
  const stopAll = async (): Promise<void> => {
    await proc.stop();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(proc, () => ready(server, certs.caFile, adminToken), options.timeoutMs ?? 90_000);
  } catch (err) {
    await etcd.stop();
    throw err;
  }
  return {
    server,
    caFile: certs.caFile,
    kubeconfig: (user) => writeKubeconfig(dir, server, certs, user, adminToken),
    stop: stopAll,
  };
}

/** `/readyz` answers 200 once storage is reachable and every post-start hook (RBAC bootstrap roles, default namespaces) ran. */
function ready(server: string, caFile: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${server}/readyz`, { ca: readFileSync(caFile), headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.once('error', () => resolve(false));
    req.end();
  });
}

function writeKubeconfig(dir: string, server: string, certs: DevCertificates, user: string, adminToken: string): string {
  const credentials =
    user === 'admin'
      ? { token: adminToken }
      : { 'client-certificate': certs.env(user).GRPC_TLS_CERT_FILE, 'client-key': certs.env(user).GRPC_TLS_KEY_FILE };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'weaver-test', cluster: { server, 'certificate-authority': certs.caFile } }],
    users: [{ name: user, user: credentials }],
    contexts: [{ name: user, context: { cluster: 'weaver-test', user } }],
    'current-context': user,
  };
  const file = join(dir, `kubeconfig-${user}.json`);
  // JSON is YAML: every kubeconfig loader reads it.
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}
