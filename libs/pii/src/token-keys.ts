import { hkdfSync } from 'node:crypto';

/** A tokenisation key and the version tokens made with it carry. */
export interface TokenKey {
  readonly version: number;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** Where tenants' tokenisation keys come from: the current one for new tokens, any version for old ones. */
export interface TokenKeySource {
  current(tenantId: string): Promise<TokenKey>;
  version(tenantId: string, version: number): Promise<Buffer>;
}

/** A key per tenant that never rotates (tests, a KMS-held secret per tenant): every token is version 0. */
export function fixedTokenKeys(keyOf: (tenantId: string) => Promise<Buffer>): TokenKeySource {
  return {
    current: async (tenantId) => ({ version: 0, key: await keyOf(tenantId) }),
    version: (tenantId) => keyOf(tenantId),
  };
}

/**
 * The shape of `@weaver/crypto`'s DataKeyCache that this needs, written out rather than
 * imported: @weaver/observability will depend on this library, and @weaver/crypto depends on
 * observability, so importing crypto here would be a cycle. A DataKeyCache is passed as it is.
 */
export interface TenantDataKeys {
  active(scope: { tenantId: string }): Promise<{ readonly version: number; readonly key: Buffer }>;
  version(scope: { tenantId: string }, version: number): Promise<{ readonly key: Buffer }>;
}

const INFO = Buffer.from('weaver.pii.tokenise.v1');

/** HKDF-SHA256 of the tenant's data key: tokens rotate with the data key and are shredded with it. */
export const deriveTokenKey = (dataKey: Buffer, tenantId: string): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(tenantId.toLowerCase()), INFO, 32));

export function dataKeyTokenKeys(keys: TenantDataKeys): TokenKeySource {
  // The cache hands out the same key Buffer while an entry lives, so the derived key is kept
  // with it (and dropped with it): a step pays the HKDF once per data key, not per call.
  const derived = new WeakMap<Buffer, Buffer>();
  const tokenKey = (dek: Buffer, tenantId: string): Buffer => {
    let k = derived.get(dek);
    if (!k) derived.set(dek, (k = deriveTokenKey(dek, tenantId)));
    return k;
  };
  return {
    current: async (tenantId) => {
      const dek = await keys.active({ tenantId: tenantId.toLowerCase() });
      return { version: dek.version, key: tokenKey(dek.key, tenantId) };
    },
    version: async (tenantId, version) => tokenKey((await keys.version({ tenantId: tenantId.toLowerCase() }, version)).key, tenantId),
  };
}
