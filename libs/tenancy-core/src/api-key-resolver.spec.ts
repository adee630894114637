import { of } from 'rxjs';
import type { tenancy } from '@weaver/contracts';
import { UnauthenticatedError } from '@weaver/errors';
import { ApiKeyResolver, apiKeyFromHeaders } from './api-key-resolver';
import { issueApiKey } from './api-key';
import { CredentialThrottle } from './credential-throttle';

/** A tenancy client that answers ResolveApiKey for one key and counts the calls. */
function tenancyFor(key: string, roles: string[] = []) {
  const calls: string[] = [];
  const client = {
    resolveApiKey: ({ apiKey }: { apiKey: string }) => {
      calls.push(apiKey);
      if (apiKey !== key) throw new UnauthenticatedError();
      return of({ tenantId: 't1', keyId: 'k1', roles });
    },
  } as unknown as tenancy.TenancyServiceClient;
  return { client, calls };
}

describe('ApiKeyResolver', () => {
  const key = issueApiKey().plaintext;

  it('asks tenancy once per key while the resolution is cached', async () => {
    const t = tenancyFor(key, ['reader']);
    const keys = new ApiKeyResolver(t.client, { ttlMs: 60_000, defaultRoles: ['runner'] });
    for (let i = 0; i < 3; i++) expect(await keys.keyOf(key)).toEqual({ tenantId: 't1', keyId: 'k1', roles: ['reader'] });
    expect(t.calls).toHaveLength(1);
  });

  it('gives keys without roles the default ones, and asks every time with ttl 0', async () => {
    const t = tenancyFor(key);
    const keys = new ApiKeyResolver(t.client, { ttlMs: 0, defaultRoles: ['runner'] });
    expect((await keys.keyOf(key)).roles).toEqual(['runner']);
    await keys.tenantOf(key);
    expect(t.calls).toHaveLength(2);
  });

  it('refuses a missing or malformed key without a round trip, and counts it toward the throttle', async () => {
    const t = tenancyFor(key);
    const keys = new ApiKeyResolver(t.client, { ttlMs: 60_000, defaultRoles: ['runner'], throttle: new CredentialThrottle({ maxFailures: 2, windowMs: 60_000, blockMs: 60_000 }) });
    await expect(keys.keyOf(undefined)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(keys.keyOf('wv_short', '10.0.0.1')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(keys.keyOf('wv_short', '10.0.0.1')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(keys.keyOf(key, '10.0.0.1')).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(t.calls).toEqual([]);
  });

  it('reads the key from a bearer token or x-api-key', () => {
    expect(apiKeyFromHeaders({ authorization: `Bearer ${key}` })).toBe(key);
    expect(apiKeyFromHeaders({ 'x-api-key': key })).toBe(key);
    expect(apiKeyFromHeaders({ authorization: 'Basic abc' })).toBeUndefined();
  });
});
