import { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@weaver/errors';

/**
 * The call metadata entry naming the tenant a service acts for. Accepted by a server only on
 * methods whose access rule says `tenant: true` and only from the identities that rule lists
 * (grpcAccessInterceptor checks both and strips it everywhere else), so a handler that reads
 * it with tenantOf gets a tenant vouched for by an authenticated, authorised service.
 */
export const TENANT_METADATA = 'weaver-tenant-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Client side: metadata acting for `tenantId` (added to `into` when given, e.g. an API key's). */
export function tenantMetadata(tenantId: string, into: Metadata = new Metadata()): Metadata {
  into.set(TENANT_METADATA, tenantId);
  return into;
}

/** The metadata's tenant if it is one well-formed tenant id, else undefined. */
export function tenantInMetadata(metadata: Metadata | undefined): string | undefined {
  const values = metadata?.get(TENANT_METADATA) ?? [];
  const [value] = values;
  return values.length === 1 && typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

/**
 * Server side, in a gRPC handler of a tenant-scoped method: the tenant the call acts for.
 * Never from the request body; the interceptor has already refused calls without it, so a
 * miss here means the method's rule lacks `tenant: true`.
 */
export function tenantOf(metadata: Metadata | undefined): string {
  const tenant = tenantInMetadata(metadata);
  if (tenant === undefined) throw new UnauthenticatedError(`no authenticated tenant on this call (metadata ${TENANT_METADATA})`);
  return tenant;
}
