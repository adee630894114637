// eslint-disable-next-line @nx/enforce-module-boundaries -- tests use the repo's Redis tool
import { startRedis, type RunningRedis } from '../../../tools/redis/src';
import { RedisResponseCache, type RoutedResult } from '../src';

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

  it('shares entries between cache clients (replicas) and expires them after the TTL', async () => {
    const a = new RedisResponseCache(redis.url);
    const b = new RedisResponseCache(redis.url);
    await a.set('k1', result, 1);
    expect(await b.get('k1')).toEqual(result);
    expect(await b.get('missing')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100)); // Redis EX has 1 s resolution
    expect(await b.get('k1')).toBeUndefined();
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
});
