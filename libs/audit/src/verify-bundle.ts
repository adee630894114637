import type { AuditBundle } from './audit-bundle';
import { AUDIT_BUNDLE_FORMAT } from './audit-bundle';
import type { AuditIssue, AuditVerification } from './audit-issues';
import type { AuditPublicKey } from './audit-signing-key';
import { verifyCheckpointSignature, type SignedCheckpoint } from './checkpoint';
import { checkEntries } from './entry-checks';
import { fromHex, hex } from './hashes';
import { merkleRoot } from './merkle';
import { verifyConsistency, verifyInclusion } from './merkle-verify';

export interface VerifyOptions {
  /** Keys trusted out of band; without them the bundle's own keys are used (and the report says which). */
  trustedKeys?: readonly AuditPublicKey[];
}

/**
 * Verifies a bundle offline: checkpoint signatures, the entries (checkEntries), every entry's
 * inclusion proof against the signed checkpoint (with the leaf recomputed from its text), the
 * chain's end against the checkpoint when the range reaches it, the recomputed root when the
 * range is the whole tree, and each earlier checkpoint's consistency with the last.
 */
export function verifyBundle(bundle: AuditBundle, opts: VerifyOptions = {}): AuditVerification {
  const issues: AuditIssue[] = [];
  const keys = opts.trustedKeys ?? bundle.publicKeys ?? [];
  const result = (): AuditVerification => ({ ok: issues.length === 0, issues, entries: bundle.entries?.length ?? 0, checkpoints: 1 + (bundle.earlierCheckpoints?.length ?? 0), keyIds: keys.map((k) => k.keyId) });
  if (bundle.format !== AUDIT_BUNDLE_FORMAT || !bundle.checkpoint || !Array.isArray(bundle.entries)) {
    issues.push({ check: 'format', message: `not a ${AUDIT_BUNDLE_FORMAT} (format, checkpoint and entries are required)` });
    return result();
  }
  const cp = bundle.checkpoint;
  checkSignature(cp, bundle.tenantId, keys, issues);
  const { leaves, lastChain } = checkEntries(bundle.tenantId, bundle.fromSeq, bundle.previousChainHash, bundle.entries, issues);
  if (bundle.entries.length !== bundle.toSeq - bundle.fromSeq) issues.push({ check: 'sequence', message: `the range ${bundle.fromSeq}..${bundle.toSeq - 1} should hold ${bundle.toSeq - bundle.fromSeq} entries; the bundle has ${bundle.entries.length}` });
  const root = fromHex(cp.rootHash);
  const proofs = new Map((bundle.inclusionProofs ?? []).map((p) => [p.seq, p.proof]));
  const whole = bundle.fromSeq === 0 && bundle.toSeq === cp.treeSize && bundle.entries.length === cp.treeSize;
  bundle.entries.forEach((e, i) => {
    const proof = proofs.get(e.seq);
    if (!proof) {
      if (!whole) issues.push({ check: 'inclusion', seq: e.seq, message: 'no inclusion proof in the bundle' });
      return;
    }
    if (!verifyInclusion(leaves[i]!, e.seq, cp.treeSize, proof.map(fromHex), root)) issues.push({ check: 'inclusion', seq: e.seq, message: `not in the tree signed by checkpoint ${cp.treeSize} at this position` });
  });
  if (bundle.toSeq === cp.treeSize && bundle.entries.length > 0 && hex(lastChain) !== cp.chainHash) issues.push({ check: 'chain', treeSize: cp.treeSize, message: 'the chain does not end at the hash the checkpoint signed' });
  if (whole && hex(merkleRoot(leaves)) !== cp.rootHash) issues.push({ check: 'root', treeSize: cp.treeSize, message: 'the Merkle root of the entries is not the signed root' });
  for (const earlier of bundle.earlierCheckpoints ?? []) {
    checkSignature(earlier.checkpoint, bundle.tenantId, keys, issues);
    const ok = verifyConsistency(earlier.checkpoint.treeSize, cp.treeSize, fromHex(earlier.checkpoint.rootHash), root, earlier.consistencyProof.map(fromHex));
    if (!ok) issues.push({ check: 'consistency', treeSize: earlier.checkpoint.treeSize, message: `not a prefix of checkpoint ${cp.treeSize}: the log was rewritten between them` });
  }
  return result();
}

function checkSignature(cp: SignedCheckpoint, tenantId: string, keys: readonly AuditPublicKey[], issues: AuditIssue[]): void {
  const key = keys.find((k) => k.keyId === cp.keyId);
  if (!key) issues.push({ check: 'signature', treeSize: cp.treeSize, message: `signed with key ${cp.keyId}, which is not a trusted key` });
  else if (!verifyCheckpointSignature(cp, key)) issues.push({ check: 'signature', treeSize: cp.treeSize, message: 'signature does not verify (checkpoint altered or forged)' });
  if (cp.tenantId !== tenantId) issues.push({ check: 'signature', treeSize: cp.treeSize, message: `checkpoint is for tenant ${cp.tenantId}, the bundle for ${tenantId}` });
}
