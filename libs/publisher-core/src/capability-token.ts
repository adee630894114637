import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { PermissionDeniedError, ValidationError } from '@weaver/errors';

import type { CapabilityKeyring } from './capability-keys';

/** What a token grants: the only purpose today is reading one result. */
export const RESULT_READ = 'result:read';
/** Audiences: each endpoint that accepts tokens names itself and refuses tokens not meant for it. */
export const CAPABILITY_AUDIENCES = { publisher: 'weaver:publisher.GetResult', gateway: 'weaver:gateway.result' } as const;

const ISSUER = 'weaver:publisher';
/** JOSE `typ` header: a token of this kind is never mistaken for another JWT signed with the same key. */
const TYP = 'weaver-capability+jwt';

/** The result a token is about. */
export interface CapabilityResult {
  readonly tenantId: string;
  readonly runId: string;
  readonly step: string;
}

/** The verified claims of a token. */
export interface CapabilityClaims extends CapabilityResult {
  readonly purpose: string;
  readonly audience: readonly string[];
  /** Unique token id (for audit logs and, later, revocation lists). */
  readonly jti: string;
  readonly kid: string;
  readonly expiresAt: Date;
}

/** What the accepting endpoint requires; every field must match or the token is refused. */
export interface CapabilityCheck {
  readonly audience: string;
  readonly purpose: string;
  /** The tenant the caller acts for (when it has one); the token's tenant must be it. */
  readonly tenantId?: string;
  /** The result asked for (when the caller names one); the token's result must be it (any step of the run when `step` is omitted). */
  readonly result?: { readonly runId: string; readonly step?: string };
}

interface WeaverCapabilityPayload extends JWTPayload {
  tid: string;
  res: { run: string; step: string };
  pur: string;
}

/**
 * Capability tokens as JWS compact tokens (JWT claims, EdDSA), made and checked here only:
 * the publisher's GetResult and the gateway's result endpoint both call `verify`.
 *
 * Claims: `tid` tenant, `res` {run, step}, `pur` purpose, `aud` the endpoints that may accept it,
 * `jti` a random id, `iat`/`exp`, `iss`; header `kid` (key rotation, see capability-keys.ts) and
 * `typ`. A re-published result never gets a new token (ResultPublisher.put).
 */
export class CapabilityTokens {
  constructor(
    private readonly keys: CapabilityKeyring,
    private readonly options: { ttlSeconds: number; audience: readonly string[] },
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1) throw new ValidationError([{ field: 'ttlSeconds', rule: 'must be an integer >= 1' }]);
    if (options.audience.length === 0) throw new ValidationError([{ field: 'audience', rule: 'must name at least one endpoint' }]);
  }

  async issue(result: CapabilityResult, purpose: string = RESULT_READ): Promise<string> {
    const signing = this.keys.signing;
    if (!signing) throw new Error('capability tokens: no signing key configured (CAPABILITY_SIGNING_KEY)');
    const iat = Math.floor(this.now() / 1000);
    const payload: Omit<WeaverCapabilityPayload, keyof JWTPayload> = { tid: result.tenantId.toLowerCase(), res: { run: result.runId, step: result.step }, pur: purpose };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: TYP })
      .setIssuer(ISSUER)
      .setAudience([...this.options.audience])
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.ttlSeconds)
      .sign(signing.key);
  }

  /** The token's claims when it satisfies `check`; PermissionDeniedError naming the reason otherwise. */
  async verify(token: string, check: CapabilityCheck): Promise<CapabilityClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw denied('is missing or malformed');
    let payload: WeaverCapabilityPayload;
    let kid: string;
    try {
      const verified = await jwtVerify<WeaverCapabilityPayload>(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.verify.get(header.kid);
          if (!key) throw denied(`was signed with an unknown key (kid ${JSON.stringify(header.kid ?? null)})`);
          return key;
        },
        { algorithms: ['EdDSA'], typ: TYP, issuer: ISSUER, audience: check.audience, requiredClaims: ['exp', 'iat', 'jti', 'tid', 'res', 'pur'], currentDate: new Date(this.now()) },
      );
      payload = verified.payload;
      kid = verified.protectedHeader.kid!;
    } catch (error) {
      throw denialOf(error);
    }
    if (payload.pur !== check.purpose) throw denied(`is not for ${check.purpose}`);
    const res = payload.res as unknown;
    if (typeof payload.tid !== 'string' || !isResult(res)) throw denied('is malformed');
    if (check.tenantId !== undefined && payload.tid !== check.tenantId.toLowerCase()) throw denied('does not grant this result to this tenant');
    if (check.result && (res.run !== check.result.runId || (check.result.step !== undefined && res.step !== check.result.step))) throw denied('does not grant this result');
    return {
      tenantId: payload.tid,
      runId: res.run,
      step: res.step,
      purpose: payload.pur,
      audience: [payload.aud ?? []].flat(),
      jti: payload.jti!,
      kid,
      expiresAt: new Date(payload.exp! * 1000),
    };
  }
}

const isResult = (v: unknown): v is { run: string; step: string } =>
  typeof v === 'object' && v !== null && typeof (v as { run?: unknown }).run === 'string' && typeof (v as { step?: unknown }).step === 'string';

const denied = (reason: string, details: Record<string, unknown> = {}): PermissionDeniedError => new PermissionDeniedError(`capability token ${reason}`, details);

/** jose's errors as denials; the signature is checked before any claim, so a forged token only ever hears "signature". */
function denialOf(error: unknown): PermissionDeniedError {
  if (error instanceof PermissionDeniedError) return error;
  if (error instanceof joseErrors.JWTExpired) return denied('has expired', { expiredAt: new Date(Number(error.payload.exp) * 1000).toISOString() });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return denied('is not meant for this endpoint (audience)');
    return denied(`has an invalid "${error.claim}" claim`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return denied('signature does not verify');
  return denied('is malformed');
}
