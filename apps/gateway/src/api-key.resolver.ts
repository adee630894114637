import type { tenancy } from '@weaver/contracts';
import { UnauthenticatedError } from '@weaver/errors';
import { DEFAULT_KEY_ROLES } from '@weaver/policy';
import { unary } from '@weaver/service-kit';
import type { CredentialThrottle } from './credential-throttle';

/** Who an API key is: its tenant, its id (the policy principal's id, never the key) and roles. */
export interface ResolvedKey {
  tenantId: string;
  keyId: string;
  roles: readonly string[];
}

/** API key → tenant, key id and roles through the tenancy service, with a short in-process cache. */
export class ApiKeyResolver {
  private readonly cache = new Map<string, { key: ResolvedKey; until: number }>();

  constructor(
    private readonly tenancyClient: tenancy.TenancyServiceClient,
    private readonly ttlMs: number,
    private readonly throttle?: CredentialThrottle,
  ) {}

  /** `source`: the caller's address where known (REST); bad keys are throttled per source and key prefix. */
  async tenantOf(apiKey: string | undefined, source?: string): Promise<string> {
    return (await this.keyOf(apiKey, source)).tenantId;
  }

  async keyOf(apiKey: string | undefined, source?: string): Promise<ResolvedKey> {
    if (!apiKey) throw new UnauthenticatedError();
    // A blocked source is refused even with a cached good key: the block's meaning must not
    // depend on what this replica happens to have cached.
    if (!this.throttle) return this.resolve(apiKey);
    return this.throttle.guard('api-key', source, apiKey, () => this.resolve(apiKey), (e) => e instanceof UnauthenticatedError);
  }

  /** Admin API: a suspended or deleted tenant's keys are refused by this replica at once. */
  forgetTenant(tenantId: string): void {
    for (const [k, v] of this.cache) if (v.key.tenantId === tenantId) this.cache.delete(k);
  }

  /** Admin API: a revoked key is refused by this replica at once. */
  forgetKey(keyId: string): void {
    for (const [k, v] of this.cache) if (v.key.keyId === keyId) this.cache.delete(k);
  }

  private async resolve(apiKey: string): Promise<ResolvedKey> {
    const hit = this.cache.get(apiKey);
    if (hit && hit.until > Date.now()) return hit.key;
    const res = await unary(this.tenancyClient.resolveApiKey({ apiKey }));
    // A tenancy that predates key roles answers none: such keys are runners, as before policies.
    const key = { tenantId: res.tenantId, keyId: res.keyId, roles: res.roles?.length ? res.roles : DEFAULT_KEY_ROLES };
    if (this.ttlMs > 0) this.cache.set(apiKey, { key, until: Date.now() + this.ttlMs });
    return key;
  }
}

/** The key from `authorization: Bearer <key>` or `x-api-key`. */
export function apiKeyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization'];
  const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const header = headers['x-api-key'];
  return bearer || (typeof header === 'string' ? header : undefined);
}
