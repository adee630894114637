import Redis from 'ioredis';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import type { RoutedResult } from '../routed-result';
import { tenantCachePrefix, tenantOfCacheKey, type ResponseCache } from './response-cache';

/** The AAD purpose of a cached answer. */
export const CACHE_RESPONSE_PURPOSE = 'router.cache.response';

/**
 * Redis-backed cache shared by all router replicas (`SET key value EX ttl`). A Redis outage
 * degrades to cache misses, never to failed calls. Values are sealed under the tenant's data
 * key (the tenant is the key's prefix), so the Redis memory, its dump and its AOF hold no
 * answer in clear; a value that no longer opens (its key destroyed by erasure) is a miss.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly cipher: PayloadCipher = PLAINTEXT,
  ) {
    // A short command timeout: a slow or absent Redis must cost a cache miss, not the call's latency.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250 });
    this.redis.on('error', onError);
  }

  async get(key: string): Promise<RoutedResult | undefined> {
    try {
      const raw = await this.redis.get(key);
      const tenantId = tenantOfCacheKey(key);
      if (!raw || !tenantId) return undefined;
      return (await this.cipher.openJson(tenantId, CACHE_RESPONSE_PURPOSE, JSON.parse(raw))) as RoutedResult;
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  async set(key: string, value: RoutedResult, ttlS: number): Promise<void> {
    try {
      const tenantId = tenantOfCacheKey(key);
      if (!tenantId) return; // not a tenant's key: never stored in clear
      await this.redis.set(key, JSON.stringify(await this.cipher.sealJson({ tenantId }, CACHE_RESPONSE_PURPOSE, value)), 'EX', ttlS);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Deletes every entry of a tenant (erasure); SCAN, so Redis is never blocked by a KEYS. */
  async deleteTenant(tenantId: string): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${tenantCachePrefix(tenantId)}*`, 'COUNT', 500);
      if (keys.length) deleted += await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
