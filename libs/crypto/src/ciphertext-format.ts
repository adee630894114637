import { DecryptionFailedError } from './crypto.errors';
import type { KeyScope } from './key-scope';

/**
 * The sealed bytes, self-describing so a reader needs nothing but the key store:
 *
 *   0      2 magic "WV"
 *   2      1 format version (1)
 *   3      1 flags (bit 0: the plaintext was deflated before encryption)
 *   4     16 tenant id (UUID bytes)
 *   20     1 subject length n (0 = tenant-wide key; subjects are ASCII, at most 200)
 *   21     n subject (UTF-8)
 *   21+n   4 data-key version (uint32 BE)
 *   25+n  12 nonce (random per message)
 *   37+n   … AES-256-GCM ciphertext
 *   end-16 16 GCM tag
 *
 * The whole header is authenticated (part of the AAD), so a flipped flag, version or scope
 * fails like a flipped ciphertext byte.
 */
export const MAGIC = Buffer.from('WV', 'latin1');
export const FORMAT_VERSION = 1;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const FLAG_DEFLATED = 0b1;

export interface SealedHeader {
  readonly flags: number;
  readonly scope: KeyScope;
  readonly keyVersion: number;
  readonly nonce: Buffer;
}

const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer): string => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function encodeHeader(h: SealedHeader): Buffer {
  const subject = Buffer.from(h.scope.subject ?? '', 'utf8');
  const out = Buffer.alloc(2 + 1 + 1 + 16 + 1 + subject.length + 4 + NONCE_BYTES);
  let o = MAGIC.copy(out, 0);
  o = out.writeUInt8(FORMAT_VERSION, o);
  o = out.writeUInt8(h.flags, o);
  o += uuidBytes(h.scope.tenantId).copy(out, o);
  o = out.writeUInt8(subject.length, o);
  o += subject.copy(out, o);
  o = out.writeUInt32BE(h.keyVersion, o);
  h.nonce.copy(out, o);
  return out;
}

/** True when `bytes` start like a Weaver ciphertext (cheap check before a full decode). */
export const looksSealed = (bytes: Uint8Array): boolean => bytes.length > 2 && bytes[0] === MAGIC[0] && bytes[1] === MAGIC[1];

export function decodeHeader(sealed: Buffer): { header: SealedHeader; headerBytes: Buffer; body: Buffer; tag: Buffer } {
  if (!looksSealed(sealed)) throw new DecryptionFailedError('not a Weaver ciphertext (no "WV" magic)');
  if (sealed.length < 21) throw new DecryptionFailedError('truncated header');
  const version = sealed.readUInt8(2);
  if (version !== FORMAT_VERSION) throw new DecryptionFailedError(`unknown format version ${version} (this build reads ${FORMAT_VERSION})`);
  const flags = sealed.readUInt8(3);
  const tenantId = uuidOf(sealed.subarray(4, 20));
  const n = sealed.readUInt8(20);
  const headerEnd = 21 + n + 4 + NONCE_BYTES;
  if (sealed.length < headerEnd + TAG_BYTES) throw new DecryptionFailedError('truncated ciphertext');
  const subject = n === 0 ? undefined : sealed.subarray(21, 21 + n).toString('utf8');
  const keyVersion = sealed.readUInt32BE(21 + n);
  const nonce = sealed.subarray(25 + n, headerEnd);
  return {
    header: { flags, scope: subject === undefined ? { tenantId } : { tenantId, subject }, keyVersion, nonce },
    headerBytes: sealed.subarray(0, headerEnd),
    body: sealed.subarray(headerEnd, sealed.length - TAG_BYTES),
    tag: sealed.subarray(sealed.length - TAG_BYTES),
  };
}
