import { FailedPreconditionError, ValidationError } from '@weaver/errors';
import { z } from '@weaver/config';

/** A region's name: also MirrorMaker 2's cluster alias and the prefix of its topics in other regions, hence no dots. */
export const REGION_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function assertRegion(value: string, field: string): string {
  if (!REGION_NAME.test(value)) throw new ValidationError([{ field, rule: `must match ${REGION_NAME.source} (e.g. "eu-west")` }]);
  return value;
}

/**
 * The installation's region (docs/regions.md), validated once at start with the rest of the
 * service's config. Unset: a single-region installation, where no tenant is ever refused.
 */
export const regionConfigFields = {
  WEAVER_REGION: z.string().regex(REGION_NAME, `must match ${REGION_NAME.source}`).optional(),
  /** The other regions whose directory this one replicates (comma-separated region names). */
  WEAVER_REGION_PEERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(REGION_NAME, `each must match ${REGION_NAME.source}`))),
};

/**
 * A request for a tenant that this region does not serve. The gateway refuses (it does not
 * redirect: it would have to forward the caller's API key to another region's host, and a
 * client that is told where to go can retry with the right base URL). FAILED_PRECONDITION →
 * HTTP 412 / gRPC 9, with the home region in the message and in `details`.
 */
export class TenantInOtherRegionError extends FailedPreconditionError {
  constructor(tenantId: string, homeRegion: string, servedBy: string, localRegion: string) {
    const where = servedBy === homeRegion ? `its home region "${homeRegion}"` : `region "${servedBy}" (home region "${homeRegion}", failed over)`;
    super(`tenant ${tenantId} is served by ${where}, not by this region "${localRegion}"; send its requests to region "${servedBy}"`, {
      reason: 'TENANT_IN_OTHER_REGION',
      tenantId,
      homeRegion,
      servedBy,
      region: localRegion,
    });
  }
}

/** Where a local tenant row is served: NULL columns (pre-region rows) mean this region. */
export function servingRegionOf(row: { homeRegion: string | null; servedBy: string | null }, localRegion: string): string {
  return row.servedBy ?? row.homeRegion ?? localRegion;
}
