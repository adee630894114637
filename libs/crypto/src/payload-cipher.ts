import { openWith, sealWith, COMPRESS_FROM_BYTES } from './aead';
import { decodeHeader, looksSealed } from './ciphertext-format';
import { DecryptionFailedError } from './crypto.errors';
import type { DataKeyCache } from './data-key-cache';
import { checkScope, type KeyScope } from './key-scope';

/** A sealed value in a jsonb column: the column stays jsonb, SQL on NULL/COALESCE keeps working. */
export interface SealedJson {
  readonly $enc: string;
}

export const isSealedJson = (v: unknown): v is SealedJson =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $enc?: unknown }).$enc === 'string' && Object.keys(v).length === 1;

/**
 * What stores and the event layer call: seal bytes or JSON under a tenant's (or subject's) data
 * key for one purpose (the field: "runs.steps.output", "kafka.payload", ...), and open them.
 * Two implementations: `EnvelopeCipher` (AES-256-GCM, keys from a DataKeyCache) and
 * `PLAINTEXT` (encryption off: for tests that prove the canary scan finds plaintext, and the
 * explicit WEAVER_ENCRYPTION=off of a development setup).
 */
export interface PayloadCipher {
  readonly enabled: boolean;
  seal(scope: KeyScope, purpose: string, plaintext: Buffer): Promise<Buffer>;
  /** `tenantId` is who the caller believes owns the bytes: a ciphertext of another tenant fails. */
  open(tenantId: string, purpose: string, bytes: Buffer): Promise<Buffer>;
  sealJson(scope: KeyScope, purpose: string, value: unknown): Promise<unknown>;
  /** Plain JSON (written before encryption was on) passes through, so rollout needs no rewrite. */
  openJson(tenantId: string, purpose: string, stored: unknown): Promise<unknown>;
}

export class EnvelopeCipher implements PayloadCipher {
  readonly enabled = true;

  constructor(
    /** Its key cache, shared with what derives keys from the same data keys (the router's PII tokens). */
    readonly keys: DataKeyCache,
    private readonly opts: { compressFromBytes?: number } = {},
  ) {}

  async seal(scope: KeyScope, purpose: string, plaintext: Buffer): Promise<Buffer> {
    const dek = await this.keys.active(checkScope(scope));
    return sealWith(dek, purpose, plaintext, this.opts.compressFromBytes ?? COMPRESS_FROM_BYTES);
  }

  async open(tenantId: string, purpose: string, bytes: Buffer): Promise<Buffer> {
    const { header } = decodeHeader(bytes);
    if (header.scope.tenantId !== tenantId.toLowerCase()) throw new DecryptionFailedError(`sealed for another tenant, not ${tenantId} (purpose "${purpose}")`);
    const dek = await this.keys.version(header.scope, header.keyVersion);
    return openWith(dek, purpose, bytes);
  }

  async sealJson(scope: KeyScope, purpose: string, value: unknown): Promise<SealedJson> {
    const sealed = await this.seal(scope, purpose, Buffer.from(JSON.stringify(value ?? null), 'utf8'));
    return { $enc: sealed.toString('base64') };
  }

  async openJson(tenantId: string, purpose: string, stored: unknown): Promise<unknown> {
    if (!isSealedJson(stored)) return stored;
    const plain = await this.open(tenantId, purpose, Buffer.from(stored.$enc, 'base64'));
    return JSON.parse(plain.toString('utf8')) as unknown;
  }
}

/** Encryption off: values are stored as they are; sealed values cannot be opened (no keys). */
export const PLAINTEXT: PayloadCipher = {
  enabled: false,
  seal: async (_scope, _purpose, plaintext) => plaintext,
  open: async (_tenant, purpose, bytes) => {
    if (looksSealed(bytes)) throw new DecryptionFailedError(`"${purpose}" is encrypted but encryption is off in this process`);
    return bytes;
  },
  sealJson: async (_scope, _purpose, value) => value,
  openJson: async (_tenant, purpose, stored) => {
    if (isSealedJson(stored)) throw new DecryptionFailedError(`"${purpose}" is encrypted but encryption is off in this process`);
    return stored;
  },
};
