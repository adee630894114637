import type { tenancy } from '@weaver/contracts';
import { UnauthenticatedError } from '@weaver/errors';
import { unary } from '@weaver/service-kit';
import { hashApiKey, isWellFormedApiKey } from './api-key';
import type { CredentialThrottle } from './credential-throttle';
import { ResolutionCache, type ApiKeyResolution } from './resolution-cache';

/** Who an API key is: its tenant, its id (the policy principal's id, never the key) and roles. */
export type ResolvedKey = ApiKeyResolution;

export interface ApiKeyResolverOptions {
  /** How long a resolved key is trusted by this process (0: ask tenancy every time). */
  ttlMs: number;
  /** Throttles guessing per source address and key prefix (failures only). */
  throttle?: CredentialThrottle;
  /** The roles of a key tenancy answers without any (a tenancy that predates key roles): the policy default. */
  defaultRoles: readonly string[];
  /** Most keys kept; the oldest goes first. */
  maxEntries?: number;
}

/**
 * API key → tenant, key id and roles through the tenancy service (ResolveApiKey), for every
 * service that takes tenants' keys at its edge (the gateway's REST and gRPC, the router's
 * OpenAI-compatible API). Resolutions are kept in a ResolutionCache by the key's hash, so a warm
 * key costs no round trip; a malformed key is refused without one.
 */
export class ApiKeyResolver {
  private readonly cache: ResolutionCache;

  constructor(
    private readonly tenancyClient: tenancy.TenancyServiceClient,
    private readonly options: ApiKeyResolverOptions,
  ) {
    this.cache = new ResolutionCache(options.ttlMs, options.maxEntries);
  }

  /** `source`: the caller's address where known (REST); bad keys are throttled per source and key prefix. */
  async tenantOf(apiKey: string | undefined, source?: string): Promise<string> {
    return (await this.keyOf(apiKey, source)).tenantId;
  }

  async keyOf(apiKey: string | undefined, source?: string): Promise<ResolvedKey> {
    if (!apiKey) throw new UnauthenticatedError();
    const throttle = this.options.throttle;
    // A blocked source is refused even with a cached good key: the block's meaning must not
    // depend on what this replica happens to have cached.
    if (!throttle) return this.resolve(apiKey);
    return throttle.guard('api-key', source, apiKey, () => this.resolve(apiKey), (e) => e instanceof UnauthenticatedError);
  }

  /** Admin API: a suspended or deleted tenant's keys are refused by this replica at once. */
  forgetTenant(tenantId: string): void {
    this.cache.forgetWhere((key) => key.tenantId === tenantId);
  }

  /** Admin API: a revoked key is refused by this replica at once. */
  forgetKey(keyId: string): void {
    this.cache.forgetWhere((key) => key.keyId === keyId);
  }

  private async resolve(apiKey: string): Promise<ResolvedKey> {
    // Not a key tenancy could have issued: refused here, without a round trip.
    if (!isWellFormedApiKey(apiKey)) throw new UnauthenticatedError();
    const hash = hashApiKey(apiKey);
    const hit = this.cache.get(hash);
    if (hit) return hit;
    const res = await unary(this.tenancyClient.resolveApiKey({ apiKey }));
    const key: ResolvedKey = { tenantId: res.tenantId, keyId: res.keyId, roles: res.roles?.length ? res.roles : this.options.defaultRoles };
    this.cache.set(hash, key);
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
