import type { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { withTenant } from '@weaver/persistence';
import { AUDIT_BUNDLE_FORMAT, type AuditBundle } from './audit-bundle';
import type { ChainedEntry } from './audit-entry';
import type { AuditPublicKey } from './audit-signing-key';
import type { SignedCheckpoint } from './checkpoint';
import { GENESIS_CHAIN_HASH, hex } from './hashes';
import { MerkleTree } from './merkle';
import { AuditLogReader } from './audit-log-reader';

/**
 * Proofs and exports over the stored log, built from the stored leaf hashes (the server's side:
 * a verifier trusts only the signed checkpoints and recomputes everything else).
 */
export class AuditProofs {
  private readonly reader: AuditLogReader;

  constructor(
    private readonly ds: DataSource,
    private readonly publicKeys: readonly AuditPublicKey[],
  ) {
    this.reader = new AuditLogReader(ds);
  }

  /** The audit path of entry `seq` in the checkpoint of `treeSize` (default: the latest). */
  inclusion(tenantId: string, seq: number, treeSize?: number): Promise<{ entry: ChainedEntry; checkpoint: SignedCheckpoint; proof: string[] }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const checkpoint = await this.reader.checkpoint(em, treeSize);
      if (!Number.isInteger(seq) || seq < 0 || seq >= checkpoint.treeSize) throw new ValidationError([{ field: 'seq', rule: `must be an entry of the checkpoint: 0..${checkpoint.treeSize - 1}` }]);
      const [entry] = await this.reader.range(em, seq, seq + 1);
      const leaves = await this.reader.leaves(em, checkpoint.treeSize);
      return { entry: entry!, checkpoint, proof: new MerkleTree(leaves).inclusionProof(seq, checkpoint.treeSize).map(hex) };
    });
  }

  /** That the checkpoint of `fromSize` is a prefix of the one of `toSize` (RFC 6962 §2.1.2). */
  consistency(tenantId: string, fromSize: number, toSize?: number): Promise<{ from: SignedCheckpoint; to: SignedCheckpoint; proof: string[] }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const from = await this.reader.checkpoint(em, fromSize);
      const to = await this.reader.checkpoint(em, toSize);
      if (from.treeSize > to.treeSize) throw new ValidationError([{ field: 'fromSize', rule: `must not exceed toSize (${to.treeSize})` }]);
      const leaves = await this.reader.leaves(em, to.treeSize);
      return { from, to, proof: new MerkleTree(leaves).consistencyProof(from.treeSize, to.treeSize).map(hex) };
    });
  }

  /**
   * Entries [fromSeq, toSeq) proven against the latest checkpoint (toSeq defaults to its size;
   * entries past the latest checkpoint are not exportable until it is signed), and every
   * earlier checkpoint with its consistency proof.
   */
  exportBundle(tenantId: string, range: { fromSeq?: number; toSeq?: number } = {}, now = new Date()): Promise<AuditBundle> {
    return withTenant(this.ds, tenantId, async (em) => {
      const checkpoints = await this.reader.checkpoints(em);
      const checkpoint = checkpoints[checkpoints.length - 1];
      if (!checkpoint) throw new ValidationError([{ field: 'tenantId', rule: 'has no signed checkpoint yet: nothing can be exported and proven' }]);
      const fromSeq = range.fromSeq ?? 0;
      const toSeq = range.toSeq ?? checkpoint.treeSize;
      if (!Number.isInteger(fromSeq) || fromSeq < 0 || !Number.isInteger(toSeq) || toSeq <= fromSeq || toSeq > checkpoint.treeSize) {
        throw new ValidationError([{ field: 'toSeq', rule: `the range must satisfy 0 <= fromSeq < toSeq <= ${checkpoint.treeSize} (the latest checkpoint's size)` }]);
      }
      const entries = await this.reader.range(em, fromSeq, toSeq);
      const leaves = await this.reader.leaves(em, checkpoint.treeSize);
      const [before] = fromSeq === 0 ? [] : await this.reader.range(em, fromSeq - 1, fromSeq);
      const tree = new MerkleTree(leaves);
      return {
        format: AUDIT_BUNDLE_FORMAT,
        tenantId: checkpoint.tenantId,
        exportedAt: now.toISOString(),
        fromSeq,
        toSeq,
        previousChainHash: before?.chainHash ?? hex(GENESIS_CHAIN_HASH),
        entries,
        checkpoint,
        inclusionProofs: entries.map((e) => ({ seq: e.seq, proof: tree.inclusionProof(e.seq, checkpoint.treeSize).map(hex) })),
        earlierCheckpoints: checkpoints.slice(0, -1).map((cp) => ({ checkpoint: cp, consistencyProof: tree.consistencyProof(cp.treeSize, checkpoint.treeSize).map(hex) })),
        publicKeys: [...this.publicKeys],
      };
    });
  }
}
