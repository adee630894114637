import { createHash } from 'node:crypto';
import type { ModelCallRequest } from '../routing/route-request';
import type { RoutedResult } from '../routed-result';

/** Exact-match response cache: same tenant and same request in, same answer out, until the TTL. */
export interface ResponseCache {
  get(key: string): Promise<RoutedResult | undefined>;
  set(key: string, value: RoutedResult, ttlS: number): Promise<void>;
  close(): Promise<void>;
}

/** The cache key: everything that shapes the answer, and the tenant (no answer crosses tenants). */
export function cacheKeyOf(req: ModelCallRequest): string {
  const material = JSON.stringify([
    req.tenantId,
    req.messages,
    req.tools,
    req.jsonMode,
    req.maxTokens ?? null,
    req.temperature ?? null,
    [...req.requiredCapabilities].sort(),
    req.modelHint ?? null,
    [...req.classification].sort(),
  ]);
  return `weaver:router:cache:v1:${createHash('sha256').update(material).digest('hex')}`;
}
