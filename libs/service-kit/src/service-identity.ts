/**
 * Who a gRPC peer is: the identity in its certificate's URI SAN, `spiffe://weaver/<name>`,
 * issued by the Weaver CA (tools/certs locally, cert-manager in Kubernetes). No imports on
 * purpose: the test setup and the certificate tool read this file without loading Nest.
 */

/** The six services, plus `operator` for people and tools (CLI, tests, benchmarks). */
export const SERVICE_IDENTITIES = ['gateway', 'registry', 'router', 'agent-runner', 'publisher', 'tenancy', 'operator'] as const;
export type ServiceIdentity = (typeof SERVICE_IDENTITIES)[number];

const SPIFFE_PREFIX = 'spiffe://weaver/';

/** The URI SAN a certificate of `identity` carries. */
export function spiffeIdOf(identity: ServiceIdentity): string {
  return `${SPIFFE_PREFIX}${identity}`;
}

export function isServiceIdentity(value: string): value is ServiceIdentity {
  return (SERVICE_IDENTITIES as readonly string[]).includes(value);
}

/**
 * The identity named by a certificate's subjectAltName as Node prints it
 * ("URI:spiffe://weaver/router, DNS:localhost, IP Address:127.0.0.1"), or undefined when it
 * names none or more than one (a certificate is one identity, never a choice).
 */
export function identityOfSubjectAltName(subjectAltName: string | undefined): ServiceIdentity | undefined {
  if (!subjectAltName) return undefined;
  const found = subjectAltName
    .split(', ')
    .filter((entry) => entry.startsWith(`URI:${SPIFFE_PREFIX}`))
    .map((entry) => entry.slice(`URI:${SPIFFE_PREFIX}`.length));
  const [only] = found;
  return found.length === 1 && only !== undefined && isServiceIdentity(only) ? only : undefined;
}
