import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { PII_TYPES, type PiiType } from './pii-span';
import type { TokenKeySource } from './token-keys';

/**
 * Reversible tokens: deterministic authenticated encryption in the SIV style. The nonce is an
 * HMAC of (tenant, type, value) under a MAC subkey, the value is sealed with AES-256-GCM under
 * an encryption subkey with (tenant, type, key version) as associated data. The same value
 * gives the same token within a tenant and key version, so a model can still see that two
 * mentions are the same person; a nonce repeats only with its own plaintext, which is what
 * keeps GCM safe here. Token: ⟦pii:<type>:<base64url(version u32 ‖ nonce 12 ‖ ciphertext ‖ tag 16)>⟧.
 */
const NONCE = 12;
const TAG = 16;
export const TOKEN_PATTERN = /⟦pii:([a-z_]+):([A-Za-z0-9_-]{38,})⟧/g;

interface SubKeys {
  readonly enc: Buffer;
  readonly mac: Buffer;
}
const subKeyCache = new WeakMap<Buffer, SubKeys>();
function subKeys(key: Buffer): SubKeys {
  let k = subKeyCache.get(key);
  if (!k) {
    k = {
      enc: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'weaver.pii.token.enc', 32)),
      mac: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'weaver.pii.token.mac', 32)),
    };
    subKeyCache.set(key, k);
  }
  return k;
}

const aadOf = (tenantId: string, type: PiiType, version: number): Buffer => Buffer.from(`weaver.pii\0${tenantId.toLowerCase()}\0${type}\0${version}`);
const nonceOf = (mac: Buffer, tenantId: string, type: PiiType, value: string): Buffer =>
  createHmac('sha256', mac).update(`${tenantId.toLowerCase()}\0${type}\0${value}`).digest().subarray(0, NONCE);

export function tokenOf(value: string, type: PiiType, tenantId: string, key: { version: number; key: Buffer }): string {
  const { enc, mac } = subKeys(key.key);
  const nonce = nonceOf(mac, tenantId, type, value);
  const cipher = createCipheriv('aes-256-gcm', enc, nonce);
  cipher.setAAD(aadOf(tenantId, type, key.version));
  const version = Buffer.alloc(4);
  version.writeUInt32BE(key.version);
  const body = Buffer.concat([version, nonce, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `⟦pii:${type}:${body.toString('base64url')}⟧`;
}

/** The value of one token, or undefined when the key is not the one it was made with. */
export function valueOf(payload: Buffer, type: PiiType, tenantId: string, version: number, key: Buffer): string | undefined {
  if (payload.length < 4 + NONCE + TAG) return undefined;
  const { enc, mac } = subKeys(key);
  const nonce = payload.subarray(4, 4 + NONCE);
  const decipher = createDecipheriv('aes-256-gcm', enc, nonce);
  decipher.setAAD(aadOf(tenantId, type, version));
  decipher.setAuthTag(payload.subarray(payload.length - TAG));
  try {
    const value = Buffer.concat([decipher.update(payload.subarray(4 + NONCE, payload.length - TAG)), decipher.final()]).toString('utf8');
    return timingSafeEqual(nonceOf(mac, tenantId, type, value), nonce) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts back the values of the tenant's tokens in `text` (a model's answer, a stored result).
 * A token the tenant's keys do not open — another tenant's, altered, or invented by a model —
 * is left as it is: it never opens under the wrong key, and failing the whole text would lose
 * the rest of the answer.
 */
export async function detokenise(text: string, tenantId: string, keys: TokenKeySource): Promise<string> {
  if (!text.includes('⟦pii:')) return text;
  const matches = [...text.matchAll(TOKEN_PATTERN)];
  const byVersion = new Map<number, Promise<Buffer | undefined>>();
  const keyFor = (v: number): Promise<Buffer | undefined> => {
    let k = byVersion.get(v);
    if (!k) byVersion.set(v, (k = keys.version(tenantId, v).catch(() => undefined)));
    return k;
  };
  let out = '';
  let last = 0;
  for (const m of matches) {
    const type = m[1] as PiiType;
    const payload = Buffer.from(m[2] ?? '', 'base64url');
    if (!(PII_TYPES as readonly string[]).includes(type) || payload.length < 4) continue;
    const version = payload.readUInt32BE(0);
    const key = await keyFor(version);
    const value = key ? valueOf(payload, type, tenantId, version, key) : undefined;
    if (value === undefined) continue;
    out += text.slice(last, m.index) + value;
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}
