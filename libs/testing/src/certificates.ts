import { readDevCertificates, ensureDevCertificates, type DevCertificates, type TlsEnv } from '@weaver/certs';

/**
 * The test run's development CA and certificates, made once by the jest global setup (which
 * exports WEAVER_TEST_CERTS_DIR). Clients: `mutualTlsAs('gateway', testTlsEnv('gateway'))`
 * from @weaver/service-kit (not wrapped here: service-kit's own tests use this library).
 */
export function testCertificates(): DevCertificates {
  const dir = process.env['WEAVER_TEST_CERTS_DIR'];
  if (!dir) throw new Error('WEAVER_TEST_CERTS_DIR is unset: run integration tests with jest.integration.config.js (its global setup makes the certificates)');
  return readDevCertificates(dir);
}

/** GRPC_TLS_* of `identity` (a service name or "operator"): spread into a service's env. */
export function testTlsEnv(identity: string): TlsEnv {
  return testCertificates().env(identity);
}

/** Certificates from another CA with the same identities: what an impostor would hold. */
export function foreignCertificates(dir: string): DevCertificates {
  return ensureDevCertificates(dir, testCertificates().identities);
}
