/**
 * @weaver/certs — the development CA and per-service certificates for gRPC mutual TLS.
 *
 *   const certs = ensureDevCertificates(join(dataDir, 'certs'));
 *   spawn(..., { env: { ...certs.env('router') } });   // GRPC_TLS_CA_FILE, _CERT_FILE, _KEY_FILE
 *
 * Made with the `openssl` CLI on first use and cached in the directory (regenerated when close
 * to expiry). Used by `npm run dev`, the e2e stacks and the integration tests' global setup;
 * production certificates come from cert-manager (deploy/helm/weaver/templates/certificates.yaml), not from here.
 */
export * from './dev-certificates';
export * from './audit-signing-key';
