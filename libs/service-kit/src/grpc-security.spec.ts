import { ensureDevCertificates } from '@weaver/certs';
import { ConfigError } from '@weaver/errors';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGrpcSecurity } from './grpc-security';
import { SERVICE_IDENTITIES } from './service-identity';

// Real certificates (the openssl CLI, as `npm run dev` makes them), two CAs.
const root = mkdtempSync(join(tmpdir(), 'weaver-security-spec-'));
const ours = ensureDevCertificates(join(root, 'ours'), SERVICE_IDENTITIES);
const theirs = ensureDevCertificates(join(root, 'theirs'), SERVICE_IDENTITIES);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const violationsOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.violations;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadGrpcSecurity', () => {
  it('loads mutual TLS for the identity its certificate names', () => {
    const security = loadGrpcSecurity({ ...ours.env('router'), GRPC_INSECURE_DEV_ONLY: false }, 'router');
    expect(security).toMatchObject({ mode: 'mtls', identity: 'router' });
  });

  it('refuses to start without the files unless the dev-only flag is set, naming each variable', () => {
    const violations = violationsOf(() => loadGrpcSecurity({ GRPC_INSECURE_DEV_ONLY: false }, 'router'));
    expect(violations.map((v) => v.field)).toEqual(['GRPC_TLS_CA_FILE', 'GRPC_TLS_CERT_FILE', 'GRPC_TLS_KEY_FILE']);
    expect(violations[0]?.rule).toContain('GRPC_INSECURE_DEV_ONLY=true turns TLS off, local development only');
    expect(loadGrpcSecurity({ GRPC_INSECURE_DEV_ONLY: true }, 'router')).toEqual({ mode: 'insecure' });
  });

  it("refuses another service's certificate (a wrongly mounted secret)", () => {
    const violations = violationsOf(() => loadGrpcSecurity({ ...ours.env('gateway'), GRPC_INSECURE_DEV_ONLY: false }, 'router'));
    expect(violations).toEqual([{ field: 'GRPC_TLS_CERT_FILE', rule: 'must carry the URI SAN spiffe://weaver/router (it names spiffe://weaver/gateway)' }]);
  });

  it('refuses a certificate of another CA and a key of another certificate', () => {
    const mixed = { ...ours.env('router'), GRPC_TLS_CERT_FILE: theirs.env('router').GRPC_TLS_CERT_FILE, GRPC_INSECURE_DEV_ONLY: false };
    expect(violationsOf(() => loadGrpcSecurity(mixed, 'router'))).toEqual([
      { field: 'GRPC_TLS_CERT_FILE', rule: 'is not signed by the CA in GRPC_TLS_CA_FILE' },
      { field: 'GRPC_TLS_KEY_FILE', rule: 'does not match the certificate in GRPC_TLS_CERT_FILE' },
    ]);
  });

  it('names an unreadable file and a file that is not PEM', () => {
    const env = { ...ours.env('router'), GRPC_TLS_CA_FILE: join(root, 'nope.crt'), GRPC_TLS_KEY_FILE: ours.env('router').GRPC_TLS_CERT_FILE, GRPC_INSECURE_DEV_ONLY: false };
    const violations = violationsOf(() => loadGrpcSecurity(env, 'router'));
    expect(violations).toEqual([{ field: 'GRPC_TLS_CA_FILE', rule: `cannot read ${join(root, 'nope.crt')}: ENOENT` }]);
    const notKey = { ...ours.env('router'), GRPC_TLS_KEY_FILE: ours.env('router').GRPC_TLS_CERT_FILE, GRPC_INSECURE_DEV_ONLY: false };
    expect(violationsOf(() => loadGrpcSecurity(notKey, 'router'))).toEqual([{ field: 'GRPC_TLS_KEY_FILE', rule: 'is not a PEM private key' }]);
  });

  it('needs an identity for a service that is not one of the six', () => {
    expect(violationsOf(() => loadGrpcSecurity({ ...ours.env('router'), GRPC_INSECURE_DEV_ONLY: false }, undefined))).toEqual([
      { field: 'service', rule: 'is not a Weaver service identity: name the identity its certificate carries' },
    ]);
  });
});
