import type { ChainedEntry } from './audit-entry';
import type { AuditPublicKey } from './audit-signing-key';
import type { SignedCheckpoint } from './checkpoint';

export const AUDIT_BUNDLE_FORMAT = 'weaver-audit-bundle/1';

/**
 * A self-contained, offline-verifiable export of part of a tenant's log: entries
 * [fromSeq, toSeq), the signed checkpoint they are proven against (`checkpoint`, tree size ≥
 * toSeq), an inclusion proof per entry, earlier checkpoints each with a consistency proof to
 * `checkpoint`, and the public keys. Hashes are hex, signatures base64url.
 */
export interface AuditBundle {
  format: typeof AUDIT_BUNDLE_FORMAT;
  tenantId: string;
  exportedAt: string;
  fromSeq: number;
  toSeq: number;
  /** Chain hash of entry fromSeq-1 (zeros for 0): where the range's chain starts. */
  previousChainHash: string;
  entries: ChainedEntry[];
  checkpoint: SignedCheckpoint;
  /** RFC 6962 audit paths of each entry in `checkpoint`'s tree (optional when the range is the whole tree: the root is recomputed). */
  inclusionProofs: { seq: number; proof: string[] }[];
  earlierCheckpoints: { checkpoint: SignedCheckpoint; consistencyProof: string[] }[];
  publicKeys: AuditPublicKey[];
}
