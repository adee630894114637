import { PermissionDeniedError } from '@weaver/errors';
import { capabilityKeyring, capabilitySigningKey, capabilityVerifyKeys, generateCapabilityKey } from './capability-keys';
import { CAPABILITY_AUDIENCES, CapabilityTokens, RESULT_READ, type CapabilityCheck } from './capability-token';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const RESULT = { tenantId: T1, runId: 'run-1', step: 'summarise' };
const AUDIENCE = [CAPABILITY_AUDIENCES.publisher, CAPABILITY_AUDIENCES.gateway];
const AT_PUBLISHER: CapabilityCheck = { audience: CAPABILITY_AUDIENCES.publisher, purpose: RESULT_READ, tenantId: T1, result: { runId: 'run-1', step: 'summarise' } };

const reasonOf = async (p: Promise<unknown>): Promise<string> => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PermissionDeniedError);
  return (error as Error).message;
};

describe('CapabilityTokens', () => {
  let now = 1_800_000_000_000;
  const k1 = generateCapabilityKey('k1');
  const k2 = generateCapabilityKey('k2');
  const clock = () => now;
  const tokensWith = (signing: typeof k1, verify: Array<typeof k1>, audience: readonly string[] = AUDIENCE) =>
    new CapabilityTokens(capabilityKeyring({ keys: verify.map((k) => k.public) }, signing.signing), { ttlSeconds: 60, audience }, clock);
  const verifierOf = (verify: Array<typeof k1>) => new CapabilityTokens(capabilityKeyring({ keys: verify.map((k) => k.public) }), { ttlSeconds: 60, audience: AUDIENCE }, clock);
  const tokens = tokensWith(k1, [k1]);

  it('issues a JWS with kid, typ, tenant, result, purpose, audience, jti and exp, and accepts it until it expires', async () => {
    const token = await tokens.issue(RESULT);
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'EdDSA', kid: 'k1', typ: 'weaver-capability+jwt' });
    expect(payload).toMatchObject({ tid: T1, res: { run: 'run-1', step: 'summarise' }, pur: RESULT_READ, aud: AUDIENCE, iss: 'weaver:publisher', exp: 1_800_000_060 });
    expect(payload!['jti']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tokens.verify(token, AT_PUBLISHER)).toMatchObject({ ...RESULT, purpose: RESULT_READ, kid: 'k1' });
    now += 59_000;
    await expect(tokens.verify(token, AT_PUBLISHER)).resolves.toBeDefined();
    now += 1_000;
    expect(await reasonOf(tokens.verify(token, AT_PUBLISHER))).toBe('capability token has expired');
    now -= 60_000;
  });

  it('gives every token its own jti', async () => {
    const a = await tokens.verify(await tokens.issue(RESULT), AT_PUBLISHER);
    const b = await tokens.verify(await tokens.issue(RESULT), AT_PUBLISHER);
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses a wrong audience, purpose, tenant or result', async () => {
    const token = await tokens.issue(RESULT);
    const onlyPublisher = await tokensWith(k1, [k1], [CAPABILITY_AUDIENCES.publisher]).issue(RESULT);
    expect(await reasonOf(tokens.verify(onlyPublisher, { ...AT_PUBLISHER, audience: CAPABILITY_AUDIENCES.gateway }))).toBe('capability token is not meant for this endpoint (audience)');
    expect(await reasonOf(tokens.verify(token, { ...AT_PUBLISHER, audience: 'weaver:somewhere-else' }))).toMatch(/audience/);
    expect(await reasonOf(tokens.verify(await tokens.issue(RESULT, 'result:delete'), AT_PUBLISHER))).toBe('capability token is not for result:read');
    expect(await reasonOf(tokens.verify(token, { ...AT_PUBLISHER, tenantId: T2 }))).toBe('capability token does not grant this result to this tenant');
    expect(await reasonOf(tokens.verify(token, { ...AT_PUBLISHER, result: { runId: 'run-2', step: 'summarise' } }))).toBe('capability token does not grant this result');
    expect(await reasonOf(tokens.verify(token, { ...AT_PUBLISHER, result: { runId: 'run-1', step: 'other' } }))).toBe('capability token does not grant this result');
  });

  it('refuses an unknown kid, a tampered payload or signature, another key, and garbage', async () => {
    const token = await tokens.issue(RESULT);
    expect(await reasonOf(verifierOf([k2]).verify(token, AT_PUBLISHER))).toBe('capability token was signed with an unknown key (kid "k1")');
    const [h, p, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const otherTenant = Buffer.from(JSON.stringify({ ...claims, tid: T2 })).toString('base64url');
    expect(await reasonOf(tokens.verify(`${h}.${otherTenant}.${sig}`, { ...AT_PUBLISHER, tenantId: T2 }))).toBe('capability token signature does not verify');
    const later = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims['exp']) + 3600 })).toString('base64url');
    expect(await reasonOf(tokens.verify(`${h}.${later}.${sig}`, AT_PUBLISHER))).toBe('capability token signature does not verify');
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(await reasonOf(tokens.verify(`${h}.${p}.${flipped}`, AT_PUBLISHER))).toBe('capability token signature does not verify');
    // A key of the same kid but other material: the signature decides, not the name.
    const impostor = generateCapabilityKey('k1');
    expect(await reasonOf(tokensWith(impostor, [impostor]).verify(token, AT_PUBLISHER))).toBe('capability token signature does not verify');
    // alg "none" and HS256 with the public key as secret are refused (algorithms pinned to EdDSA).
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1', typ: 'weaver-capability+jwt' })).toString('base64url')}.${p}.`;
    expect(await reasonOf(tokens.verify(none, AT_PUBLISHER))).toBe('capability token is malformed');
    expect(await reasonOf(tokens.verify('garbage', AT_PUBLISHER))).toBe('capability token is malformed');
    expect(await reasonOf(tokens.verify('', AT_PUBLISHER))).toBe('capability token is missing or malformed');
  });

  it('rotates: a token of the old key verifies while its public key is listed, and not after it is removed', async () => {
    const old = await tokens.issue(RESULT);
    const rotated = tokensWith(k2, [k1, k2]);
    const fresh = await rotated.issue(RESULT);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString('utf8'))).toMatchObject({ kid: 'k2' });
    await expect(rotated.verify(old, AT_PUBLISHER)).resolves.toMatchObject({ kid: 'k1' });
    await expect(rotated.verify(fresh, AT_PUBLISHER)).resolves.toMatchObject({ kid: 'k2' });
    const retired = tokensWith(k2, [k2]);
    expect(await reasonOf(retired.verify(old, AT_PUBLISHER))).toMatch(/unknown key \(kid "k1"\)/);
    await expect(retired.verify(fresh, AT_PUBLISHER)).resolves.toBeDefined();
  });

  it('cannot issue without a signing key (a verifier such as the gateway)', async () => {
    await expect(verifierOf([k1]).issue(RESULT)).rejects.toThrow('no signing key configured');
  });
});

describe('capability key config', () => {
  const k = generateCapabilityKey('k1');
  it('accepts a JWK Set and a private JWK, and wants the signing key among the verify keys', () => {
    const verify = capabilityVerifyKeys.parse(JSON.stringify({ keys: [k.public] }));
    const signing = capabilitySigningKey.parse(JSON.stringify(k.signing));
    expect(capabilityKeyring(verify, signing).signing?.kid).toBe('k1');
    const other = generateCapabilityKey('k2');
    expect(() => capabilityKeyring({ keys: [other.public] }, signing)).toThrow(/must be in CAPABILITY_VERIFY_KEYS/);
  });

  it('names what is wrong', () => {
    const issues = (schema: typeof capabilityVerifyKeys | typeof capabilitySigningKey, text: string) => {
      const r = schema.safeParse(text);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues(capabilityVerifyKeys, 'not json')).toEqual([': CAPABILITY_VERIFY_KEYS must be JSON']);
    expect(issues(capabilityVerifyKeys, JSON.stringify({ keys: [k.public, k.public] }))).toEqual([': kids must be unique']);
    expect(issues(capabilityVerifyKeys, JSON.stringify({ keys: [{ ...k.public, crv: 'P-256' }] }))).toEqual(['keys.0.crv: must be "Ed25519"']);
    // A private key in the public set is refused: verifiers must never hold signing material.
    expect(issues(capabilityVerifyKeys, JSON.stringify({ keys: [k.signing] }))[0]).toMatch(/^keys\.0/);
    expect(issues(capabilitySigningKey, JSON.stringify(k.public))).toEqual(['d: must be a 32-byte base64url private key (a private JWK has "d")']);
  });
});
