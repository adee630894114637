import { PermissionDeniedError, ValidationError } from '@weaver/errors';
import { CapabilityTokens } from './capability-token';

const SECRET = 'x'.repeat(32);
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const URI = `weaver://results/${T1}/run-1/summarise`;

describe('CapabilityTokens', () => {
  let now = 1_800_000_000_000;
  const tokens = new CapabilityTokens(SECRET, 60, () => now);

  const denial = (fn: () => void): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(PermissionDeniedError);
      return (error as Error).message;
    }
    throw new Error('expected PermissionDeniedError');
  };

  it('accepts its own token for the same tenant and uri until it expires', () => {
    const token = tokens.issue(T1, URI);
    expect(token).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(() => tokens.verify(token, T1, URI)).not.toThrow();
    now += 59_000;
    expect(() => tokens.verify(token, T1, URI)).not.toThrow();
    now += 1_000;
    expect(denial(() => tokens.verify(token, T1, URI))).toBe('capability token has expired');
  });

  it('denies another tenant, another uri, a changed expiry and another secret', () => {
    const token = tokens.issue(T1, URI);
    expect(denial(() => tokens.verify(token, T2, URI))).toMatch(/does not grant/);
    expect(denial(() => tokens.verify(token, T1, `${URI}x`))).toMatch(/does not grant/);
    const [v, expiry, sig] = token.split('.');
    expect(denial(() => tokens.verify(`${v}.${Number(expiry) + 3600}.${sig}`, T1, URI))).toMatch(/does not grant/);
    const other = new CapabilityTokens('y'.repeat(32), 60, () => now);
    expect(denial(() => other.verify(token, T1, URI))).toMatch(/does not grant/);
    // The last base64url character carries two spare bits: a respelling must not verify.
    const last = token.slice(-1);
    const respelled = token.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charAt(('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last) ^ 1));
    expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(Buffer.from(sig!, 'base64url'));
    expect(denial(() => tokens.verify(respelled, T1, URI))).toMatch(/does not grant/);
    expect(denial(() => tokens.verify('garbage', T1, URI))).toBe('capability token is malformed');
    expect(denial(() => tokens.verify(`${token}.extra`, T1, URI))).toBe('capability token is malformed');
  });

  it('refuses a short secret, naming the field', () => {
    expect(() => new CapabilityTokens('short', 60)).toThrow(ValidationError);
    expect(() => new CapabilityTokens('short', 60)).toThrow('secret: must be at least 32 bytes');
  });
});
