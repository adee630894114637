import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DecryptionFailedError } from './crypto.errors';
import { decodeHeader, encodeHeader, FLAG_DEFLATED, NONCE_BYTES } from './ciphertext-format';
import type { KeyScope } from './key-scope';

/** Payloads from this size on are deflated before encryption (smaller ones rarely shrink). */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * The associated data: the header (scope, key version, flags, nonce) plus the purpose — a
 * field name such as "runs.steps.output" — so a ciphertext copied into another tenant's row,
 * or into another column of the same tenant, fails to open.
 */
function aadOf(headerBytes: Buffer, purpose: string): Buffer {
  return Buffer.concat([headerBytes, Buffer.from(`\0${purpose}`, 'utf8')]);
}

export interface DataKey {
  readonly scope: KeyScope;
  readonly version: number;
  /** 32 bytes; lives only in memory (the cache), never logged or stored unwrapped. */
  readonly key: Buffer;
}

/** AES-256-GCM under `dek`, random 96-bit nonce; deflates first when that makes it smaller. */
export function sealWith(dek: DataKey, purpose: string, plaintext: Buffer, compressFrom = COMPRESS_FROM_BYTES): Buffer {
  let body = plaintext;
  let flags = 0;
  if (plaintext.length >= compressFrom) {
    const deflated = deflateRawSync(plaintext, { level: 1 });
    if (deflated.length < plaintext.length) {
      body = deflated;
      flags |= FLAG_DEFLATED;
    }
  }
  const header = encodeHeader({ flags, scope: dek.scope, keyVersion: dek.version, nonce: randomBytes(NONCE_BYTES) });
  const cipher = createCipheriv('aes-256-gcm', dek.key, header.subarray(header.length - NONCE_BYTES));
  cipher.setAAD(aadOf(header, purpose));
  const out = Buffer.concat([header, cipher.update(body), cipher.final(), cipher.getAuthTag()]);
  return out;
}

/** Opens a ciphertext whose header `decodeHeader` already read, with the key it names. */
export function openWith(dek: DataKey, purpose: string, sealed: Buffer): Buffer {
  const { header, headerBytes, body, tag } = decodeHeader(sealed);
  const decipher = createDecipheriv('aes-256-gcm', dek.key, header.nonce);
  decipher.setAAD(aadOf(headerBytes, purpose));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (error) {
    throw new DecryptionFailedError(`authentication failed for purpose "${purpose}" (tampered, or moved from another tenant or field)`, { cause: error });
  }
  return header.flags & FLAG_DEFLATED ? inflateRawSync(plain) : plain;
}
