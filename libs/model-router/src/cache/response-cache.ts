import { createHash } from 'node:crypto';
import type { ModelCallRequest } from '../routing/route-request';
import type { RoutedResult } from '../routed-result';

/** Exact-match response cache: same tenant and same request in, same answer out, until the TTL. */
export interface ResponseCache {
  get(key: string): Promise<RoutedResult | undefined>;
  set(key: string, value: RoutedResult, ttlS: number): Promise<void>;
  close(): Promise<void>;
}

/** Every cache key of a tenant starts with this: erasure deletes a tenant's entries by it. */
export const tenantCachePrefix = (tenantId: string): string => `weaver:router:cache:v1:${tenantId}:`;

/** The tenant a cache key belongs to (the inverse of tenantCachePrefix); undefined for a foreign key. */
export function tenantOfCacheKey(key: string): string | undefined {
  return /^weaver:router:cache:v1:([0-9a-f-]{36}):/i.exec(key)?.[1];
}

/**
 * The cache key: everything that shapes the answer, and the tenant (no answer crosses tenants);
 * the tenant is also in clear as the prefix, so a tenant's entries can be found and erased.
 */
export function cacheKeyOf(req: ModelCallRequest): string {
  const material = JSON.stringify([
    req.tenantId,
    req.messages,
    req.tools,
    req.jsonMode,
    req.jsonSchema ?? null,
    req.maxTokens ?? null,
    req.temperature ?? null,
    [...req.requiredCapabilities].sort(),
    req.modelHint ?? null,
    [...req.classification].sort(),
  ]);
  return `${tenantCachePrefix(req.tenantId)}${createHash('sha256').update(material).digest('hex')}`;
}
