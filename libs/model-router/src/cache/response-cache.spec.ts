import { tenantCachePrefix, tenantOfCacheKey } from './response-cache';

describe('cache keys name their tenant', () => {
  it('finds the tenant of a key made by tenantCachePrefix, and none in a foreign key', () => {
    const tenant = '0b7c2a52-59b8-4a8e-9a53-7d2d3c1f0e11';
    expect(tenantOfCacheKey(`${tenantCachePrefix(tenant)}abc`)).toBe(tenant);
    expect(tenantOfCacheKey('k1')).toBeUndefined();
    expect(tenantOfCacheKey('weaver:router:cache:v1:not-a-tenant:abc')).toBeUndefined();
  });
});
