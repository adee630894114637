import Redis from 'ioredis';
import type { RoutedResult } from '../routed-result';
import { tenantCachePrefix, type ResponseCache } from './response-cache';

/**
 * Redis-backed cache shared by all router replicas (`SET key value EX ttl`). A Redis outage
 * degrades to cache misses, never to failed calls.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;

  constructor(url: string, private readonly onError: (err: unknown) => void = () => undefined) {
    // A short command timeout: a slow or absent Redis must cost a cache miss, not the call's latency.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250 });
    this.redis.on('error', onError);
  }

  async get(key: string): Promise<RoutedResult | undefined> {
    try {
      const raw = await this.redis.get(key);
      return raw ? (JSON.parse(raw) as RoutedResult) : undefined;
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  async set(key: string, value: RoutedResult, ttlS: number): Promise<void> {
    try {
      await this.redis.set(key, JSON.stringify(value), 'EX', ttlS);
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
