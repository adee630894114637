import { createHmac, timingSafeEqual } from 'node:crypto';
import { PermissionDeniedError, ValidationError } from '@weaver/errors';

const VERSION = 'v1';

/**
 * Capability tokens: `v1.<expiry unix seconds>.<base64url HMAC-SHA256>` over (tenant, uri,
 * expiry). Holding one grants reading exactly that result as that tenant until it expires; no
 * lookup needed to check it. One shared secret today (rotation and per-tenant keys come with
 * per-tenant encryption, a later issue).
 */
export class CapabilityTokens {
  private readonly secret: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (Buffer.byteLength(secret, 'utf8') < 32) throw new ValidationError([{ field: 'secret', rule: 'must be at least 32 bytes' }]);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new ValidationError([{ field: 'ttlSeconds', rule: 'must be an integer >= 1' }]);
    this.secret = Buffer.from(secret, 'utf8');
  }

  issue(tenantId: string, uri: string): string {
    const expiry = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `${VERSION}.${expiry}.${this.sign(tenantId, uri, expiry).toString('base64url')}`;
  }

  /** Throws PermissionDeniedError unless the token was issued for this tenant and uri and is unexpired. */
  verify(token: string, tenantId: string, uri: string): void {
    const [version, expiryText = '', signature = '', ...rest] = typeof token === 'string' ? token.split('.') : [];
    const expiry = Number(expiryText);
    if (version !== VERSION || rest.length > 0 || !/^\d{1,12}$/.test(expiryText)) {
      throw new PermissionDeniedError('capability token is malformed');
    }
    // Compare the canonical text, not decoded bytes: base64url decoding ignores the last
    // character's spare bits, which would make several spellings of one signature valid.
    const expected = Buffer.from(this.sign(tenantId, uri, expiry).toString('base64url'));
    const given = Buffer.from(signature);
    // Signature before expiry: an attacker learns nothing from "expired" on a forged token.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new PermissionDeniedError('capability token does not grant this result to this tenant');
    }
    if (expiry * 1000 <= this.now()) throw new PermissionDeniedError('capability token has expired', { expiredAt: new Date(expiry * 1000).toISOString() });
  }

  private sign(tenantId: string, uri: string, expiry: number): Buffer {
    // Newline-separated: none of the parts can contain one, so the encoding is unambiguous.
    return createHmac('sha256', this.secret).update(`${VERSION}\n${tenantId.toLowerCase()}\n${uri}\n${expiry}`).digest();
  }
}
