import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { AuditPublicKey, AuditSigningKey } from './audit-signing-key';

/** A signed statement "tenant T's log had `treeSize` entries with this Merkle root and chain head". */
export interface SignedCheckpoint {
  tenantId: string;
  treeSize: number;
  /** Hex RFC 6962 Merkle Tree Hash of the first treeSize leaves. */
  rootHash: string;
  /** Hex chain hash of entry treeSize-1: binds the linear chain as well as the tree. */
  chainHash: string;
  signedAt: string;
  keyId: string;
  /** base64url Ed25519 signature over checkpointStatement(...). */
  signature: string;
}

export type CheckpointBody = Omit<SignedCheckpoint, 'keyId' | 'signature'>;

/** The signed bytes: versioned, canonical, everything but the signature itself. */
export function checkpointStatement(cp: Omit<SignedCheckpoint, 'signature'>): Buffer {
  const { chainHash, keyId, rootHash, signedAt, tenantId, treeSize } = cp;
  return Buffer.from(canonicalJson({ chainHash, format: 'weaver-audit-checkpoint/1', keyId, rootHash, signedAt, tenantId, treeSize }), 'utf8');
}

export function signCheckpoint(body: CheckpointBody, key: AuditSigningKey): SignedCheckpoint {
  const unsigned = { ...body, keyId: key.keyId };
  return { ...unsigned, signature: sign(null, checkpointStatement(unsigned), key.privateKey).toString('base64url') };
}

export function publicKeyObjectOf(key: AuditPublicKey): KeyObject {
  return createPublicKey({ key: key.jwk, format: 'jwk' });
}

/** True when `cp` was signed by `key` and names it. */
export function verifyCheckpointSignature(cp: SignedCheckpoint, key: AuditPublicKey): boolean {
  if (cp.keyId !== key.keyId) return false;
  try {
    return verify(null, checkpointStatement(cp), publicKeyObjectOf(key), Buffer.from(cp.signature, 'base64url'));
  } catch {
    return false;
  }
}
