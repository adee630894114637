import type { tenancy } from '@weaver/contracts';
import type { TenantKeys } from '@weaver/agent-runtime';
import { NotFoundError, ValidationError } from '@weaver/errors';
import type { PublicJwk } from '@weaver/sdk';
import { tenantMetadata, unary } from '@weaver/service-kit';

/** Tenants' trigger keys from the tenancy service (ListTriggerKeys); NOT_FOUND means no such tenant. */
export function tenancyKeys(client: tenancy.TenancyServiceClient): TenantKeys {
  return {
    triggerKeys: async (tenantId) => {
      try {
        const { keys } = await unary(client.listTriggerKeys({ tenantId }, tenantMetadata(tenantId)));
        return keys.map((k) => ({ keyId: k.keyId, publicJwk: JSON.parse(k.publicJwkJson) as PublicJwk }));
      } catch (error) {
        // A malformed tenant id names no tenant either.
        if (error instanceof NotFoundError || error instanceof ValidationError) return null;
        throw error;
      }
    },
  };
}
