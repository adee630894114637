import type { ChainedEntry } from './audit-entry';
import { parseEntry } from './audit-entry';
import type { AuditIssue } from './audit-issues';
import { chainHash, fromHex, hex, leafHash } from './hashes';

/**
 * The checks that need no signature: entries sit at consecutive seqs from `fromSeq`, each
 * entry's text names its own seq and tenant, hashes to its leaf, and chains from its
 * predecessor. After a chain break the walk continues from the stored hash, so each break is
 * named where it is, not only the first. Returns the recomputed leaves and the last chain hash.
 */
export function checkEntries(tenantId: string, fromSeq: number, previousChainHash: string, entries: readonly ChainedEntry[], issues: AuditIssue[]): { leaves: Buffer[]; lastChain: Buffer } {
  const leaves: Buffer[] = [];
  let chain = fromHex(previousChainHash);
  let expected = fromSeq;
  for (const e of entries) {
    if (e.seq > expected) issues.push({ check: 'sequence', seq: expected, message: e.seq - expected === 1 ? `missing (deleted?): the next entry is seq ${e.seq}` : `seqs ${expected}..${e.seq - 1} missing (deleted?)` });
    if (e.seq < expected) issues.push({ check: 'sequence', seq: e.seq, message: `out of order or duplicated: found after seq ${expected - 1}` });
    expected = Math.max(expected, e.seq + 1);
    const parsed = parseEntry(e.entry);
    if (!parsed) issues.push({ check: 'modified', seq: e.seq, message: 'entry text is not an audit entry (JSON with event and seq)' });
    else if (parsed.seq !== e.seq) issues.push({ check: 'moved', seq: e.seq, message: `entry text says seq ${String(parsed.seq)}: moved (reordered or shifted by an insertion)` });
    else if (parsed.event.tenantId !== tenantId) issues.push({ check: 'modified', seq: e.seq, message: `entry belongs to tenant ${String(parsed.event.tenantId)}, not ${tenantId}` });
    const leaf = leafHash(e.entry);
    leaves.push(leaf);
    if (hex(leaf) !== e.leafHash) issues.push({ check: 'modified', seq: e.seq, message: 'entry text does not hash to its leaf hash (modified)' });
    const next = chainHash(chain, leaf);
    if (hex(next) !== e.chainHash) {
      issues.push({ check: 'chain', seq: e.seq, message: 'chain hash does not follow from the previous entry and this one (modified, inserted, deleted or reordered here)' });
      chain = /^[0-9a-f]{64}$/.test(e.chainHash) ? fromHex(e.chainHash) : next;
    } else {
      chain = next;
    }
  }
  return { leaves, lastChain: chain };
}
