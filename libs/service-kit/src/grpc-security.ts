import { Inject } from '@nestjs/common';
import { bool, z } from '@weaver/config';
import { ConfigError, type FieldViolation } from '@weaver/errors';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ServiceIdentity, identityOfSubjectAltName, spiffeIdOf } from './service-identity';

/**
 * The variables every service reads for gRPC mutual TLS (part of serviceConfigSchema). Paths,
 * not contents: in Kubernetes they point into the mounted cert-manager secret, locally into
 * the development set made by tools/certs.
 */
export const grpcSecurityConfigFields = {
  /** PEM of the Weaver CA: peers (clients and servers) must present a certificate it signed. */
  GRPC_TLS_CA_FILE: z.string().min(1).optional(),
  /** PEM certificate of this service (URI SAN spiffe://weaver/<service>). */
  GRPC_TLS_CERT_FILE: z.string().min(1).optional(),
  /** PEM private key of that certificate. */
  GRPC_TLS_KEY_FILE: z.string().min(1).optional(),
  /** Plaintext gRPC with no caller identity. Local development only; never in a deployment. */
  GRPC_INSECURE_DEV_ONLY: bool(false),
};

type GrpcSecurityConfig = z.infer<z.ZodObject<typeof grpcSecurityConfigFields>>;

/** This process's TLS material, read and checked once at start, shared by its server and clients. */
export interface MutualTls {
  readonly mode: 'mtls';
  readonly identity: ServiceIdentity;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export type GrpcSecurity = MutualTls | { readonly mode: 'insecure' };

/** Injection token of the process's GrpcSecurity (what its gRPC clients and server use). */
export const GRPC_SECURITY = Symbol('weaver.grpc-security');

/** `constructor(@InjectGrpcSecurity() security: GrpcSecurity)`. */
export const InjectGrpcSecurity = (): ParameterDecorator => Inject(GRPC_SECURITY);

/** The dev-only opt-out (GRPC_INSECURE_DEV_ONLY=true). */
export const INSECURE_GRPC: GrpcSecurity = { mode: 'insecure' };

const FILES = [
  ['GRPC_TLS_CA_FILE', 'the Weaver CA certificate (PEM)'],
  ['GRPC_TLS_CERT_FILE', "this service's certificate (PEM)"],
  ['GRPC_TLS_KEY_FILE', "this service's private key (PEM)"],
] as const;

/**
 * The gRPC security of a service that runs as `identity`, from its validated config. Fails
 * with a ConfigError naming every variable at fault: a missing path, an unreadable file, a
 * certificate that is expired, not signed by the CA, not matching the key, or naming another
 * identity (a mounted secret of the wrong service).
 */
export function loadGrpcSecurity(config: GrpcSecurityConfig, identity: ServiceIdentity | undefined, source = 'environment'): GrpcSecurity {
  if (config.GRPC_INSECURE_DEV_ONLY) return INSECURE_GRPC;
  const violations: FieldViolation[] = [];
  const pem: Partial<Record<(typeof FILES)[number][0], Buffer>> = {};
  for (const [field, what] of FILES) {
    const path = config[field];
    if (!path) {
      violations.push({ field, rule: `required: path of ${what} for gRPC mutual TLS (GRPC_INSECURE_DEV_ONLY=true turns TLS off, local development only)` });
      continue;
    }
    try {
      pem[field] = readFileSync(path);
    } catch (err) {
      violations.push({ field, rule: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  }
  if (identity === undefined) violations.push({ field: 'service', rule: 'is not a Weaver service identity: name the identity its certificate carries' });
  const { GRPC_TLS_CA_FILE: ca, GRPC_TLS_CERT_FILE: cert, GRPC_TLS_KEY_FILE: key } = pem;
  if (ca && cert && key && identity) violations.push(...checkMaterial(ca, cert, key, identity));
  if (violations.length > 0 || !ca || !cert || !key || !identity) throw new ConfigError(source, violations);
  return { mode: 'mtls', identity, ca, cert, key };
}

/** Mutual TLS as `identity` from certificate files (tests, tools): loadGrpcSecurity without the opt-out. */
export function mutualTlsAs(identity: ServiceIdentity, files: { GRPC_TLS_CA_FILE: string; GRPC_TLS_CERT_FILE: string; GRPC_TLS_KEY_FILE: string }): GrpcSecurity {
  return loadGrpcSecurity({ ...files, GRPC_INSECURE_DEV_ONLY: false }, identity, `certificate files of ${identity}`);
}

function checkMaterial(caPem: Buffer, certPem: Buffer, keyPem: Buffer, identity: ServiceIdentity): FieldViolation[] {
  const parse = <T>(field: string, what: string, f: () => T): T | FieldViolation => {
    try {
      return f();
    } catch {
      return { field, rule: `is not ${what}` };
    }
  };
  const ca = parse('GRPC_TLS_CA_FILE', 'a PEM certificate', () => new X509Certificate(caPem));
  const cert = parse('GRPC_TLS_CERT_FILE', 'a PEM certificate', () => new X509Certificate(certPem));
  const key = parse('GRPC_TLS_KEY_FILE', 'a PEM private key', () => createPrivateKey(keyPem));
  const bad = [ca, cert, key].filter((v): v is FieldViolation => 'rule' in v);
  if (bad.length > 0 || !(ca instanceof X509Certificate) || !(cert instanceof X509Certificate) || 'rule' in key) return bad;
  const violations: FieldViolation[] = [];
  if (!ca.ca) violations.push({ field: 'GRPC_TLS_CA_FILE', rule: 'is not a CA certificate (basicConstraints CA:TRUE)' });
  if (!cert.verify(ca.publicKey)) violations.push({ field: 'GRPC_TLS_CERT_FILE', rule: 'is not signed by the CA in GRPC_TLS_CA_FILE' });
  if (!cert.checkPrivateKey(key)) violations.push({ field: 'GRPC_TLS_KEY_FILE', rule: 'does not match the certificate in GRPC_TLS_CERT_FILE' });
  if (new Date(cert.validTo).getTime() <= Date.now()) violations.push({ field: 'GRPC_TLS_CERT_FILE', rule: `expired at ${cert.validTo}` });
  const named = identityOfSubjectAltName(cert.subjectAltName);
  if (named !== identity) {
    violations.push({ field: 'GRPC_TLS_CERT_FILE', rule: `must carry the URI SAN ${spiffeIdOf(identity)} (it names ${named ? spiffeIdOf(named) : 'no Weaver identity'})` });
  }
  return violations;
}
