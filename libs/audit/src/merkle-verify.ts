import { nodeHash } from './hashes';

/**
 * Proof checks with nothing but the root(s): the algorithms of RFC 9162 §2.1.3.2 (inclusion)
 * and §2.1.4.2 (consistency), which verify exactly the proofs RFC 6962 §2.1.1/§2.1.2 define.
 * Every failure is a plain `false`: a tampered proof and a wrong root are the same to a verifier.
 */

const lsb = (n: number): boolean => (n & 1) === 1;

/** Does `proof` show the leaf `leaf` at `index` in the tree of `treeSize` leaves with root `root`? */
export function verifyInclusion(leaf: Buffer, index: number, treeSize: number, proof: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && r.equals(root);
}

/** Does `proof` show the tree (`fromSize`, `fromRoot`) to be a prefix of (`toSize`, `toRoot`)? */
export function verifyConsistency(fromSize: number, toSize: number, fromRoot: Buffer, toRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!Number.isInteger(fromSize) || !Number.isInteger(toSize) || fromSize < 1 || fromSize > toSize) return false;
  if (fromSize === toSize) return proof.length === 0 && fromRoot.equals(toRoot);
  if (proof.length === 0) return false;
  const path = (fromSize & (fromSize - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (lsb(fn)) {
    fn >>>= 1;
    sn >>>= 1;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}
