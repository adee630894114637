import type { DataSource } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import { AuditLogReader } from './audit-log-reader';
import type { AuditIssue, AuditVerification } from './audit-issues';
import type { AuditPublicKey } from './audit-signing-key';
import { verifyCheckpointSignature, type SignedCheckpoint } from './checkpoint';
import { CompactRange } from './compact-range';
import { checkEntries } from './entry-checks';
import { chainHash, GENESIS_CHAIN_HASH, hex } from './hashes';

/**
 * Verifies a tenant's stored log against its signed checkpoints: the entry checks from seq 0,
 * then at every checkpoint the recomputed Merkle root and chain head against the signed ones.
 * Someone with the owner's rights who rewrote an entry *and* every hash after it passes the
 * entry checks; the first checkpoint whose root no longer matches then names the range
 * [previous checkpoint, this checkpoint) the change is in (one signature per N entries bounds it).
 *
 * `peerCheckpoints` (docs/regions.md): check the log against the checkpoints a peer region holds
 * for it (`audit.remote_checkpoints` there) instead of the log's own, which whoever rewrote the
 * log could have rewritten and re-signed too, had they the signing key.
 */
export async function verifyStoredLog(ds: DataSource, tenantId: string, keys: readonly AuditPublicKey[], peerCheckpoints?: readonly SignedCheckpoint[]): Promise<AuditVerification> {
  const reader = new AuditLogReader(ds);
  const stored = await withTenant(ds, tenantId, async (em) => ({ entries: await reader.range(em, 0, Number.MAX_SAFE_INTEGER), checkpoints: peerCheckpoints ? [] : await reader.checkpoints(em) }));
  const entries = stored.entries;
  const checkpoints = peerCheckpoints ? [...peerCheckpoints].sort((x, y) => x.treeSize - y.treeSize) : stored.checkpoints;
  const issues: AuditIssue[] = [];
  const { leaves } = checkEntries(tenantId.toLowerCase(), 0, hex(GENESIS_CHAIN_HASH), entries, issues);
  const range = new CompactRange();
  let chain = GENESIS_CHAIN_HASH;
  let previousSize = 0;
  let rewritten = false;
  for (const cp of checkpoints) {
    const key = keys.find((k) => k.keyId === cp.keyId);
    if (!key || !verifyCheckpointSignature(cp, key)) issues.push({ check: 'signature', treeSize: cp.treeSize, message: key ? 'signature does not verify' : `signed with untrusted key ${cp.keyId}` });
    while (range.size < cp.treeSize && range.size < leaves.length) {
      chain = chainHash(chain, leaves[range.size]!);
      range.append(leaves[range.size]!);
    }
    if (range.size < cp.treeSize) issues.push({ check: 'root', treeSize: cp.treeSize, message: `the log holds ${range.size} entries, fewer than this checkpoint signed` });
    else if (!rewritten && (hex(range.root()) !== cp.rootHash || hex(chain) !== cp.chainHash)) {
      // Later checkpoints contain the same change: only the first mismatch says where it is.
      rewritten = true;
      issues.push({ check: 'root', treeSize: cp.treeSize, seq: previousSize, message: `entries in seq ${previousSize}..${cp.treeSize - 1} are not the ones this checkpoint signed (rewritten with their hashes)` });
    }
    previousSize = cp.treeSize;
  }
  return { ok: issues.length === 0, issues, entries: entries.length, checkpoints: checkpoints.length, keyIds: keys.map((k) => k.keyId) };
}
