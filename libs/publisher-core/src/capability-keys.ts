import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { z } from '@weaver/config';

/**
 * The keys of capability tokens (Ed25519, JWK). One signing key (the publisher's, private) and
 * any number of verification keys (public, by `kid`): a token names the key that signed it, so
 * a key is rotated by adding the new public key to every verifier, then switching the signing
 * key, then removing the old public key once the longest token TTL has passed.
 *
 * EdDSA rather than HS256: verifiers (the gateway) hold only public keys, so a compromised
 * verifier can read what its own tokens grant but cannot mint a token for any result; with a
 * shared HMAC secret every verifier could. Ed25519 signs in ~50 µs, which a per-result cost allows.
 */
export interface CapabilityKeyring {
  /** The key that signs new tokens; absent where tokens are only verified. */
  readonly signing?: { readonly kid: string; readonly key: KeyObject };
  readonly verify: ReadonlyMap<string, KeyObject>;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

const publicJwk = z.object({
  kty: z.literal('OKP', { message: 'must be "OKP"' }),
  crv: z.literal('Ed25519', { message: 'must be "Ed25519"' }),
  kid: z.string().regex(KID, 'must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  x: z.string().regex(B64URL_32, 'must be a 32-byte base64url public key'),
});
const PRIVATE_RULE = 'must be a 32-byte base64url private key (a private JWK has "d")';
const privateJwk = publicJwk.extend({ d: z.string({ error: PRIVATE_RULE }).regex(B64URL_32, PRIVATE_RULE) });

function json(field: string) {
  return z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${field} must be JSON` });
      return z.NEVER;
    }
  });
}

/** `CAPABILITY_VERIFY_KEYS`: a JWK Set (`{"keys":[...]}`) of public Ed25519 keys, kids unique. */
export const capabilityVerifyKeys = json('CAPABILITY_VERIFY_KEYS').pipe(
  z
    .object({ keys: z.array(publicJwk.strict()).min(1, 'must hold at least one key') }, { message: 'must be a JWK Set: {"keys":[...]}' })
    .refine((s) => new Set(s.keys.map((k) => k.kid)).size === s.keys.length, 'kids must be unique'),
);

/** `CAPABILITY_SIGNING_KEY`: one private Ed25519 JWK (with `d` and `kid`). */
export const capabilitySigningKey = json('CAPABILITY_SIGNING_KEY').pipe(privateJwk);

export type PublicCapabilityJwk = z.infer<typeof publicJwk>;
export type PrivateCapabilityJwk = z.infer<typeof privateJwk>;

/** Builds the keyring from validated config; the signing key's public half must be among the verify keys. */
export function capabilityKeyring(verify: { keys: PublicCapabilityJwk[] }, signing?: PrivateCapabilityJwk): CapabilityKeyring {
  const keys = new Map(verify.keys.map((k) => [k.kid, createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x }, format: 'jwk' })]));
  if (!signing) return { verify: keys };
  const listed = verify.keys.find((k) => k.kid === signing.kid);
  if (!listed || listed.x !== signing.x) {
    throw new Error(`CAPABILITY_SIGNING_KEY: its public key (kid "${signing.kid}") must be in CAPABILITY_VERIFY_KEYS, or its own tokens would not verify`);
  }
  return { signing: { kid: signing.kid, key: createPrivateKey({ key: { kty: signing.kty, crv: signing.crv, x: signing.x, d: signing.d }, format: 'jwk' }) }, verify: keys };
}

/** A new Ed25519 key pair as JWKs (what `npm run dev`, the stack and tests make). */
export function generateCapabilityKey(kid = `cap-${randomBytes(6).toString('hex')}`): { signing: PrivateCapabilityJwk; public: PublicCapabilityJwk } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  return { signing: { kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x, d: jwk.d }, public: { kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x } };
}
