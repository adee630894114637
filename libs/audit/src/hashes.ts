import { createHash } from 'node:crypto';

/** SHA-256 output size; every hash of the audit trail is this long. */
export const HASH_BYTES = 32;

/** The chain hash "before" seq 0: 32 zero bytes. */
export const GENESIS_CHAIN_HASH: Buffer = Buffer.alloc(HASH_BYTES);

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 §2.1: MTH({d}) = SHA-256(0x00 || d). The 0x00/0x01 prefixes keep a leaf from posing as a node. */
export function leafHash(entry: Buffer | string): Buffer {
  return sha256(LEAF_PREFIX, typeof entry === 'string' ? Buffer.from(entry, 'utf8') : entry);
}

/** RFC 6962 §2.1: an interior node, SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The chain: SHA-256(previous chain hash || leaf hash); seq 0 chains from GENESIS_CHAIN_HASH. */
export function chainHash(previous: Buffer, leaf: Buffer): Buffer {
  return sha256(previous, leaf);
}

/** Hashes travel as lowercase hex in bundles and over the API. */
export const hex = (b: Buffer): string => b.toString('hex');
export const fromHex = (s: string): Buffer => Buffer.from(s, 'hex');
