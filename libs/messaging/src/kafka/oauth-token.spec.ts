import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnauthenticatedError } from '@weaver/errors';
import { oauthBearerProvider } from './oauth-token';

describe('OAUTHBEARER token provider', () => {
  it('re-reads a token file at every authentication, so a rotated token is used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'oauth-')), 'token');
    writeFileSync(file, 'first\n');
    const provide = oauthBearerProvider({ file });
    expect(await provide()).toEqual({ value: 'first' });
    writeFileSync(file, 'second');
    expect(await provide()).toEqual({ value: 'second' });
  });

  it('asks a token endpoint once per token lifetime (client credentials), sharing one request', async () => {
    let now = 0;
    const calls: Array<{ auth: string | null; body: string }> = [];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      calls.push({ auth: new Headers(init.headers).get('authorization'), body: String(init.body) });
      return new Response(JSON.stringify({ access_token: `t${calls.length}`, expires_in: 120 }), { status: 200 });
    }) as unknown as typeof fetch;
    const provide = oauthBearerProvider({ url: 'https://idp/token', clientId: 'runner', clientSecret: { value: 's3' }, scope: 'kafka' }, fetchImpl, () => now);
    expect(await Promise.all([provide(), provide()])).toEqual([{ value: 't1' }, { value: 't1' }]);
    expect(calls).toEqual([{ auth: `Basic ${Buffer.from('runner:s3').toString('base64')}`, body: 'grant_type=client_credentials&scope=kafka' }]);
    now = 59_000; // renewed 60 s before the 120 s expiry
    expect(await provide()).toEqual({ value: 't1' });
    now = 61_000;
    expect(await provide()).toEqual({ value: 't2' });
  });

  it('says which client the endpoint refused, without the secret', async () => {
    const fetchImpl = (async () => new Response('{"error":"invalid_client"}', { status: 401 })) as unknown as typeof fetch;
    const error = await oauthBearerProvider({ url: 'https://idp/token', clientId: 'runner', clientSecret: { value: 'topsecret' } }, fetchImpl)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toBe('the Kafka OAuth token endpoint https://idp/token refused client "runner": 401 {"error":"invalid_client"}');
  });
});
