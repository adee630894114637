import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signed `kafka:` triggers. A record on a workflow's Kafka trigger topic starts a run only if it
 * carries, in the `weaver-signature` header, a JWS (RFC 7515, EdDSA/Ed25519 per RFC 8037) over
 * its value, made with a key its tenant registered (`POST /v1/tenants/:id/trigger-keys`). The
 * serialization is compact with a detached payload (RFC 7515 appendix F):
 *
 *   BASE64URL(protected header) + '..' + BASE64URL(signature)
 *   signing input: BASE64URL(protected header) + '.' + BASE64URL(record value)
 *   protected header: {"alg":"EdDSA","kid":"<key id>","weaver-topic":"<the record's topic>"}
 *
 * The key id is the key's RFC 7638 JWK thumbprint. Any JOSE library can sign it (jose:
 * `new FlattenedSign(value).setProtectedHeader({...}).sign(key)`, then `protected + '..' +
 * signature`); `signTriggerRecord` does it with node:crypto. Binding the topic stops a signed
 * record from being moved to another workflow's topic.
 */
export const TRIGGER_SIGNATURE_HEADER = 'weaver-signature';
export const TRIGGER_TOPIC_CLAIM = 'weaver-topic';

/** An Ed25519 public key as a JWK (RFC 8037): what a tenant registers to sign its trigger records. */
export interface PublicJwk {
  /** Key type: always OKP. */
  kty: 'OKP';
  /** Curve: always Ed25519. */
  crv: 'Ed25519';
  /** The public key, base64url. */
  x: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** RFC 7638 thumbprint of an Ed25519 public JWK: SHA-256 over its required members in order. */
export function jwkThumbprint(jwk: PublicJwk): string {
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
}

/** The public JWK of an Ed25519 key (PEM, JWK or KeyObject, private or public). */
export function publicJwkOf(key: KeyObject | string): PublicJwk {
  const object = typeof key === 'string' ? (key.includes('PRIVATE') ? createPublicKey(createPrivateKey(key)) : createPublicKey(key)) : key.type === 'private' ? createPublicKey(key) : key;
  const jwk = object.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('trigger keys are Ed25519 keys');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/** The `weaver-signature` header value for a record of `topic` with this value. */
export function signTriggerRecord(input: { topic: string; value: Buffer | string; privateKey: KeyObject | string }): string {
  const privateKey = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const kid = jwkThumbprint(publicJwkOf(privateKey));
  const header = b64url(JSON.stringify({ alg: 'EdDSA', kid, [TRIGGER_TOPIC_CLAIM]: input.topic }));
  const signature = sign(null, Buffer.from(`${header}.${b64url(input.value)}`), privateKey);
  return `${header}..${b64url(signature)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** The parts of a detached compact JWS, or why it is not one (no key needed yet). */
export function parseTriggerSignature(header: string | undefined): { ok: true; kid: string; topic: unknown; protectedB64: string; signature: Buffer } | { ok: false; reason: string } {
  if (header === undefined || header === '') return { ok: false, reason: `unsigned: the "${TRIGGER_SIGNATURE_HEADER}" header is missing` };
  const parts = header.split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) return { ok: false, reason: `the "${TRIGGER_SIGNATURE_HEADER}" header is not a detached compact JWS (<header>..<signature>)` };
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'the JWS protected header is not JSON' };
  }
  // Only EdDSA: never let the token choose a weaker or keyless algorithm ("none", HS256 with a public key).
  if (fields['alg'] !== 'EdDSA') return { ok: false, reason: `the JWS "alg" must be "EdDSA", got ${JSON.stringify(fields['alg'])}` };
  if (fields['crit'] !== undefined) return { ok: false, reason: 'the JWS "crit" header is not supported' };
  if (typeof fields['kid'] !== 'string' || fields['kid'] === '') return { ok: false, reason: 'the JWS header has no "kid" (the key id)' };
  return { ok: true, kid: fields['kid'], topic: fields[TRIGGER_TOPIC_CLAIM], protectedB64: parts[0], signature: Buffer.from(parts[2], 'base64url') };
}

/** Verifies a parsed signature over `value` with the tenant's public key for its kid. */
export function verifyParsedSignature(parsed: { protectedB64: string; signature: Buffer; topic: unknown }, value: Buffer, topic: string, key: KeyObject): SignatureCheck {
  if (parsed.topic !== topic) return { ok: false, reason: `the signature is for topic ${JSON.stringify(parsed.topic)}, not "${topic}"` };
  const valid = verify(null, Buffer.from(`${parsed.protectedB64}.${value.toString('base64url')}`), key, parsed.signature);
  return valid ? { ok: true } : { ok: false, reason: 'the signature does not match the record (forged or altered)' };
}
