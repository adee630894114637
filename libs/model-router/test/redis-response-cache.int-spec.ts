import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { DataKeyCache, DataKeyStore, destroyDataKeys, EnvelopeCipher, KEYS_MIGRATIONS, KEYS_SCHEMA, LocalKms } from '@weaver/crypto';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests use the repo's Redis tool
import { startRedis, type RunningRedis } from '../../../tools/redis/src';
import { RedisResponseCache, tenantCachePrefix, type RoutedResult } from '../src';

const result: RoutedResult = {
  content: 'hi', toolCalls: [], finishReason: 'stop', model: 'm', provider: 'p', inputTokens: 1, outputTokens: 1,
  costUsd: 0.1, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [],
};

describe('RedisResponseCache on a real redis-server', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  const k1 = `${tenantCachePrefix(randomUUID())}k1`;

  it('shares entries between cache clients (replicas) and expires them after the TTL', async () => {
    const a = new RedisResponseCache(redis.url);
    const b = new RedisResponseCache(redis.url);
    await a.set(k1, result, 1);
    expect(await b.get(k1)).toEqual(result);
    expect(await b.get(`${k1}-missing`)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100)); // Redis EX has 1 s resolution
    expect(await b.get(k1)).toBeUndefined();
    await a.close();
    await b.close();
  });

  it('degrades to misses when Redis is unreachable', async () => {
    const errors: unknown[] = [];
    const c = new RedisResponseCache('redis://127.0.0.1:1', (e) => errors.push(e));
    expect(await c.get('k')).toBeUndefined();
    await c.set('k', result, 10);
    await c.close();
  });

  describe('with per-tenant envelope encryption', () => {
    let db: TestDatabase & ServiceUrls;
    let ds: DataSource;
    let tenancy: DataSource;
    let cipher: EnvelopeCipher;
    beforeAll(async () => {
      db = await migrateTestDatabase(await createTestDatabase(), [{ schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS }]);
      ds = await createDataSource({ url: db.urlOf('router'), schema: KEYS_SCHEMA, poolSize: 2, applicationName: 'cache-int' }).initialize();
      // Shredding is tenancy's (only its role may UPDATE keys).
      tenancy = await createDataSource({ url: db.urlOf('tenancy'), schema: KEYS_SCHEMA, poolSize: 1, applicationName: 'cache-int-tenancy' }).initialize();
      cipher = new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-cache-')), 'keyring.json')), { ttlMs: 1_000 }));
    });
    afterAll(async () => {
      await ds?.destroy();
      await tenancy?.destroy();
      await db?.drop();
    });

    it('stores the answer sealed under the tenant key, opens it for replicas, and misses once the key is destroyed', async () => {
      const tenantId = randomUUID();
      const key = `${tenantCachePrefix(tenantId)}sealed`;
      const canary = `cache-canary-${randomUUID()}`;
      const a = new RedisResponseCache(redis.url, undefined, cipher);
      const b = new RedisResponseCache(redis.url, undefined, cipher);
      const raw = new Redis(redis.url);
      try {
        await a.set(key, { ...result, content: canary }, 60);
        const stored = (await raw.get(key))!;
        expect(stored).not.toContain(canary);
        expect(JSON.parse(stored)).toEqual({ $enc: expect.any(String) });
        expect((await b.get(key))?.content).toBe(canary);
        // Moved under another tenant's prefix, the value does not open: a miss, not another tenant's answer.
        const other = `${tenantCachePrefix(randomUUID())}sealed`;
        await raw.set(other, stored);
        const errors: unknown[] = [];
        const c = new RedisResponseCache(redis.url, (e) => errors.push(e), cipher);
        expect(await c.get(other)).toBeUndefined();
        await c.close();
        expect(String(errors[0])).toMatch(/another tenant/);
        // Crypto-shredded: a fresh process (no cached key) cannot read it any more.
        await destroyDataKeys(tenancy, { tenantId });
        const fresh = new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-cache-')), 'keyring.json'))));
        const late: unknown[] = [];
        const d = new RedisResponseCache(redis.url, (e) => late.push(e), fresh);
        expect(await d.get(key)).toBeUndefined();
        await d.close();
        expect(String(late[0])).toMatch(/destroyed/);
      } finally {
        raw.disconnect();
        await a.close();
        await b.close();
      }
    });
  });
});
