import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What a service needs to speak mutual TLS: the variables of service-kit's grpcSecurityConfigFields. */
// A type (not an interface) so it spreads into Record<string, string> envs.
export type TlsEnv = {
  GRPC_TLS_CA_FILE: string;
  GRPC_TLS_CERT_FILE: string;
  GRPC_TLS_KEY_FILE: string;
};

export interface DevCertificates {
  dir: string;
  caFile: string;
  /** The identities the set has certificates for. */
  identities: readonly string[];
  /** The files of one identity (a service name, or "operator" for tools and tests). */
  env(identity: string): TlsEnv;
}

interface Manifest {
  identities: string[];
  /** The earliest notAfter of the set, ms since epoch. */
  notAfterMs: number;
}

const CA_DAYS = 365;
const LEAF_DAYS = 90;
/** A set this close to expiry is made again, so nothing expires during a long test run. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/**
 * A development CA and one certificate per identity under `dir`, made on first use with the
 * `openssl` CLI and reused while valid (the manifest, written last, says what the set holds).
 * Each leaf has the URI SAN `spiffe://weaver/<identity>` (service-kit's spiffeIdOf, what the
 * services authorise on), DNS localhost/<identity> and IP 127.0.0.1, and both server and
 * client auth. A new set is made in a temporary directory and renamed into place, so processes
 * starting at the same time never see half a set.
 */
export function ensureDevCertificates(dir: string, identities: readonly string[]): DevCertificates {
  const result = certificatesIn(dir, identities);
  if (isCurrent(dir, identities)) return result;
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    makeSet(tmp, identities);
    if (isCurrent(dir, identities)) return result; // another process finished first: use its set
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

/** A set made earlier by ensureDevCertificates (e.g. by the test setup), without making one. */
export function readDevCertificates(dir: string): DevCertificates {
  const manifest = manifestOf(dir);
  if (!manifest) throw new Error(`no development certificates in ${dir} (ensureDevCertificates makes them)`);
  return certificatesIn(dir, manifest.identities);
}

function certificatesIn(dir: string, identities: readonly string[]): DevCertificates {
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    identities,
    env: (identity) => {
      if (!identities.includes(identity)) throw new Error(`no development certificate for "${identity}" (made: ${identities.join(', ')})`);
      return { GRPC_TLS_CA_FILE: join(dir, 'ca.crt'), GRPC_TLS_CERT_FILE: join(dir, `${identity}.crt`), GRPC_TLS_KEY_FILE: join(dir, `${identity}.key`) };
    },
  };
}

function manifestOf(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function isCurrent(dir: string, identities: readonly string[]): boolean {
  const manifest = manifestOf(dir);
  return manifest !== undefined && identities.every((i) => manifest.identities.includes(i)) && manifest.notAfterMs - Date.now() > RENEW_BEFORE_MS;
}

function makeSet(dir: string, identities: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  const ca = { key: join(dir, 'ca.key'), crt: join(dir, 'ca.crt') };
  openssl(['req', '-x509', '-new', ...ecKey(ca.key), '-out', ca.crt, '-days', String(CA_DAYS), '-subj', '/O=weaver/CN=Weaver development CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  for (const identity of identities) {
    const key = join(dir, `${identity}.key`);
    const csr = join(dir, `${identity}.csr`);
    const ext = join(dir, `${identity}.ext`);
    openssl(['req', '-new', ...ecKey(key), '-out', csr, '-subj', `/O=weaver/CN=${identity}`]);
    writeFileSync(ext, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      `subjectAltName=URI:spiffe://weaver/${identity},DNS:localhost,DNS:${identity},IP:127.0.0.1`,
    ].join('\n') + '\n');
    openssl(['x509', '-req', '-in', csr, '-CA', ca.crt, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(16).toString('hex')}`,
      '-days', String(LEAF_DAYS), '-extfile', ext, '-out', join(dir, `${identity}.crt`)]);
    rmSync(csr);
    rmSync(ext);
    chmodSync(key, 0o600);
  }
  chmodSync(ca.key, 0o600);
  const manifest: Manifest = { identities: [...identities], notAfterMs: Date.now() + LEAF_DAYS * 24 * 3600 * 1000 };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** P-256 keys: small, and the fastest handshakes of the common choices. */
const ecKey = (keyFile: string): string[] => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('the openssl CLI is needed to make development certificates (Debian: apt-get install -y openssl)');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString('utf8').trim() ?? err.message}`);
  }
}
