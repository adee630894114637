import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@weaver/errors';

/** An Ed25519 public key as bundles carry it (a JWK) with the id checkpoints name it by. */
export interface AuditPublicKey {
  keyId: string;
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
}

export interface AuditSigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: AuditPublicKey;
}

/** A key's id: base64url SHA-256 of its raw 32-byte public key, so the id cannot name another key. */
export function auditKeyIdOf(jwk: { x: string }): string {
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('base64url');
}

/** The public half (of a private or public Ed25519 key) as bundles carry it. */
export function auditPublicKeyOf(key: KeyObject): AuditPublicKey {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' }) as { x: string };
  return { keyId: auditKeyIdOf(jwk), jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } };
}

/**
 * Reads the checkpoint signing key (PKCS#8 PEM, Ed25519) from `file` (AUDIT_SIGNING_KEY_FILE).
 * `npm run dev`, the stacks and the test setup make it with `ensureAuditSigningKeyFile`
 * (tools/certs); production keys come from a secret.
 */
export function loadAuditSigningKey(file: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('the environment', [{ field: 'AUDIT_SIGNING_KEY_FILE', rule: `must name a readable Ed25519 private key (PKCS#8 PEM); ${file}: ${(error as Error).message}` }]);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError('the environment', [{ field: 'AUDIT_SIGNING_KEY_FILE', rule: `must hold an Ed25519 key; ${file} holds ${privateKey.asymmetricKeyType ?? 'an unknown'} key` }]);
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}
