import { createHash } from 'node:crypto';
import { CompactRange } from './compact-range';
import { leafHash, nodeHash } from './hashes';
import { consistencyProof, inclusionProof, merkleRoot } from './merkle';
import { verifyConsistency, verifyInclusion } from './merkle-verify';

const leaves = Array.from({ length: 64 }, (_, i) => leafHash(`entry ${i}`));
const flip = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c[0] = c[0]! ^ 0x01;
  return c;
};

describe('RFC 6962 Merkle trees', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    expect(leafHash('').toString('hex')).toBe(createHash('sha256').update(Buffer.from([0])).digest('hex'));
    // The RFC 6962 test vector: the empty-leaf hash.
    expect(leafHash('').toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(merkleRoot(leaves.slice(0, 2)).equals(nodeHash(leaves[0]!, leaves[1]!))).toBe(true);
    expect(merkleRoot(leaves.slice(0, 3)).equals(nodeHash(nodeHash(leaves[0]!, leaves[1]!), leaves[2]!))).toBe(true);
  });

  it('the memoised tree gives the roots of the RFC 6962 definition, computed naively here', () => {
    const naive = (d: Buffer[]): Buffer => {
      if (d.length === 1) return d[0]!;
      let k = 1;
      while (k * 2 < d.length) k *= 2;
      return nodeHash(naive(d.slice(0, k)), naive(d.slice(k)));
    };
    for (let n = 1; n <= 64; n++) expect(merkleRoot(leaves.slice(0, n)).equals(naive(leaves.slice(0, n)))).toBe(true);
  });

  it('the compact range gives the same root as the full tree for every size 1..64', () => {
    const range = new CompactRange();
    for (let n = 1; n <= 64; n++) {
      range.append(leaves[n - 1]!);
      expect(range.root().equals(merkleRoot(leaves.slice(0, n)))).toBe(true);
      const resumed = new CompactRange(range.size, range.frontier);
      expect(resumed.root().equals(range.root())).toBe(true);
    }
  });

  it('verifies every inclusion proof of every size 1..64 and refuses each tampered one', () => {
    for (let n = 1; n <= 64; n++) {
      const root = merkleRoot(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(leaves, m, n);
        expect(verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
        expect(verifyInclusion(flip(leaves[m]!), m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root)).toBe(false);
        proof.forEach((_, i) => expect(verifyInclusion(leaves[m]!, m, n, proof.map((p, j) => (j === i ? flip(p) : p)), root)).toBe(false));
        if (proof.length) expect(verifyInclusion(leaves[m]!, m, n, proof.slice(1), root)).toBe(false);
        expect(verifyInclusion(leaves[m]!, m, n, [...proof, leaves[0]!], root)).toBe(false);
      }
    }
  });

  it('verifies every consistency proof between sizes 1..64 and refuses each tampered one', () => {
    const roots = [Buffer.alloc(0), ...Array.from({ length: 64 }, (_, i) => merkleRoot(leaves.slice(0, i + 1)))];
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves, m, n);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof)).toBe(true);
        expect(verifyConsistency(m, n, flip(roots[m]!), roots[n]!, proof)).toBe(false);
        expect(verifyConsistency(m, n, roots[m]!, flip(roots[n]!), proof)).toBe(false);
        proof.forEach((_, i) => expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof.map((p, j) => (j === i ? flip(p) : p)))).toBe(false));
        if (proof.length) expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof.slice(1))).toBe(false);
      }
    }
  });

  it('refuses out-of-range indexes and sizes', () => {
    expect(() => inclusionProof(leaves, 5, 5)).toThrow(/index/);
    expect(() => consistencyProof(leaves, 0, 5)).toThrow(/fromSize/);
    expect(verifyInclusion(leaves[0]!, 1, 1, [], leaves[0]!)).toBe(false);
    expect(verifyConsistency(3, 2, leaves[0]!, leaves[0]!, [])).toBe(false);
  });
});
