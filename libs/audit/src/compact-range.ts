import { ValidationError } from '@weaver/errors';
import { nodeHash } from './hashes';

/**
 * The right edge of an RFC 6962 tree: the roots of its perfect subtrees, left to right (one
 * per set bit of the size, at most log2(n)). Appending a leaf and taking the root need only
 * these, so a checkpoint costs the entries added since the last one, not the whole log: the
 * chainer stores the frontier with each checkpoint and resumes from it.
 */
export class CompactRange {
  private readonly hashes: Buffer[];

  constructor(
    private count = 0,
    frontier: readonly Buffer[] = [],
  ) {
    if (popcount(count) !== frontier.length) throw new ValidationError([{ field: 'frontier', rule: `a tree of ${count} leaves has ${popcount(count)} frontier hashes, not ${frontier.length}` }]);
    this.hashes = [...frontier];
  }

  get size(): number {
    return this.count;
  }

  get frontier(): readonly Buffer[] {
    return this.hashes;
  }

  append(leaf: Buffer): void {
    let merged = leaf;
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's height: merge.
    for (let n = this.count; (n & 1) === 1; n >>>= 1) merged = nodeHash(this.hashes.pop()!, merged);
    this.hashes.push(merged);
    this.count += 1;
  }

  /** MTH of the leaves so far: RFC 6962's split makes the tree the frontier folded from the right. */
  root(): Buffer {
    if (this.count === 0) throw new ValidationError([{ field: 'size', rule: 'an empty tree has no root to sign' }]);
    let r = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) r = nodeHash(this.hashes[i]!, r);
    return r;
  }
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) c += v % 2;
  return c;
}
