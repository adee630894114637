import { ValidationError } from '@weaver/errors';
import { CompactRange } from './compact-range';
import { nodeHash } from './hashes';

/**
 * RFC 6962 §2.1 Merkle Tree Hash and the proofs of §2.1.1 (audit path) and §2.1.2
 * (consistency), over leaf hashes (already `leafHash`ed). These build proofs from the leaves
 * (the server's side); merkle-verify.ts checks them with the root alone (the verifier's side).
 */

/** The largest power of two smaller than n (n > 1): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A tree over fixed leaves whose subtree hashes are kept once computed: the proofs of many
 * entries of one tree (an export) share them, so k proofs over n leaves cost O(n + k log n)
 * hashes instead of O(k n).
 */
export class MerkleTree {
  private readonly memo = new Map<string, Buffer>();

  constructor(private readonly leaves: readonly Buffer[]) {}

  /** MTH(D[start:start+n]). */
  hash(start: number, n: number): Buffer {
    if (n === 1) return this.leaves[start]!;
    const key = `${start}/${n}`;
    let h = this.memo.get(key);
    if (!h) {
      const k = splitPoint(n);
      h = nodeHash(this.hash(start, k), this.hash(start + k, n - k));
      this.memo.set(key, h);
    }
    return h;
  }

  root(size = this.leaves.length): Buffer {
    checkSize(size, this.leaves.length);
    return this.hash(0, size);
  }

  /** PATH(m, D[0:size]) of RFC 6962 §2.1.1: the siblings from the leaf up. */
  inclusionProof(index: number, size: number): Buffer[] {
    checkSize(size, this.leaves.length);
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new ValidationError([{ field: 'index', rule: `must be an integer in 0..${size - 1}` }]);
    return this.path(index, 0, size);
  }

  /** PROOF(from, D[0:to]) of RFC 6962 §2.1.2: that the tree of size `from` is a prefix of the tree of size `to`. */
  consistencyProof(from: number, to: number): Buffer[] {
    checkSize(to, this.leaves.length);
    if (!Number.isInteger(from) || from < 1 || from > to) throw new ValidationError([{ field: 'fromSize', rule: `must be an integer in 1..${to}` }]);
    return from === to ? [] : this.subproof(from, 0, to, true);
  }

  private path(m: number, start: number, n: number): Buffer[] {
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k ? [...this.path(m, start, k), this.hash(start + k, n - k)] : [...this.path(m - k, start + k, n - k), this.hash(start, k)];
  }

  private subproof(m: number, start: number, n: number, complete: boolean): Buffer[] {
    if (m === n) return complete ? [] : [this.hash(start, n)];
    const k = splitPoint(n);
    if (m <= k) return [...this.subproof(m, start, k, complete), this.hash(start + k, n - k)];
    return [...this.subproof(m - k, start + k, n - k, false), this.hash(start, k)];
  }
}

function checkSize(size: number, available: number): void {
  if (available === 0) throw new ValidationError([{ field: 'leaves', rule: 'a Merkle tree needs at least one leaf' }]);
  if (!Number.isInteger(size) || size < 1 || size > available) throw new ValidationError([{ field: 'treeSize', rule: `must be an integer in 1..${available}` }]);
}

/** MTH(D[0:n]) in O(log n) memory (no subtree is kept). The empty tree is never signed, so it has no hash here. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) throw new ValidationError([{ field: 'leaves', rule: 'a Merkle tree needs at least one leaf' }]);
  const range = new CompactRange();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}

export function inclusionProof(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  return new MerkleTree(leaves).inclusionProof(index, size);
}

export function consistencyProof(leaves: readonly Buffer[], from: number, to: number): Buffer[] {
  return new MerkleTree(leaves).consistencyProof(from, to);
}
