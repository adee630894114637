import { ValidationError } from '@weaver/errors';
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

/** MTH(D[0:n]). The empty tree's hash is SHA-256 of nothing; callers never sign size 0. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) throw new ValidationError([{ field: 'leaves', rule: 'a Merkle tree needs at least one leaf' }]);
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

function checkSize(size: number, available: number): void {
  if (!Number.isInteger(size) || size < 1 || size > available) throw new ValidationError([{ field: 'treeSize', rule: `must be an integer in 1..${available}` }]);
}

/** PATH(m, D[0:n]) of RFC 6962 §2.1.1: the siblings from the leaf up, for leaf index m of the first `size` leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  checkSize(size, leaves.length);
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new ValidationError([{ field: 'index', rule: `must be an integer in 0..${size - 1}` }]);
  return path(index, leaves.slice(0, size));
}

function path(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const k = splitPoint(d.length);
  return m < k ? [...path(m, d.slice(0, k)), merkleRoot(d.slice(k))] : [...path(m - k, d.slice(k)), merkleRoot(d.slice(0, k))];
}

/** PROOF(m, D[0:n]) of RFC 6962 §2.1.2: that the tree of size `from` is a prefix of the tree of size `to`. */
export function consistencyProof(leaves: readonly Buffer[], from: number, to: number): Buffer[] {
  checkSize(to, leaves.length);
  if (!Number.isInteger(from) || from < 1 || from > to) throw new ValidationError([{ field: 'fromSize', rule: `must be an integer in 1..${to}` }]);
  if (from === to) return [];
  return subproof(from, leaves.slice(0, to), true);
}

function subproof(m: number, d: readonly Buffer[], complete: boolean): Buffer[] {
  const n = d.length;
  if (m === n) return complete ? [] : [merkleRoot(d)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, d.slice(0, k), complete), merkleRoot(d.slice(k))];
  return [...subproof(m - k, d.slice(k), false), merkleRoot(d.slice(0, k))];
}
