import { DataKeyCache } from './data-key-cache';
import { DecryptionFailedError, KeyDestroyedError } from './crypto.errors';
import { decodeHeader } from './ciphertext-format';
import type { Kms, WrappedKey } from './kms';
import type { KeyScope } from './key-scope';
import { EnvelopeCipher, isSealedJson, PLAINTEXT } from './payload-cipher';
import { MemoryKeySource } from './memory-key-source.spec-helper';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKms } from './local-kms';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

/** Counts KMS calls around the real local keyring. */
class CountingKms implements Kms {
  unwraps = 0;
  wraps = 0;
  constructor(readonly inner: LocalKms) {}
  get currentKeyId(): string {
    return this.inner.currentKeyId;
  }
  wrap(k: Buffer, s: KeyScope): Promise<WrappedKey> {
    this.wraps++;
    return this.inner.wrap(k, s);
  }
  unwrap(k: WrappedKey, s: KeyScope): Promise<Buffer> {
    this.unwraps++;
    return this.inner.unwrap(k, s);
  }
}

function setup(opts: { ttlMs?: number; now?: () => number } = {}) {
  const kms = new CountingKms(LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'keyring.json')));
  const source = new MemoryKeySource();
  const cache = new DataKeyCache(source, kms, opts);
  return { kms, source, cache, cipher: new EnvelopeCipher(cache) };
}

describe('EnvelopeCipher', () => {
  it('creates a tenant key lazily once, then seals and opens from the cache', async () => {
    const { cipher, kms, source } = setup();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => cipher.sealJson({ tenantId: A }, 'runs.runs.input', { i, canary: 'canary-cipher' })));
    expect(kms.wraps).toBe(1); // 20 concurrent misses, one key
    const readsAfterSeal = source.reads;
    for (const [i, sealed] of results.entries()) {
      expect(isSealedJson(sealed)).toBe(true);
      expect(JSON.stringify(sealed)).not.toContain('canary-cipher');
      expect(await cipher.openJson(A, 'runs.runs.input', sealed)).toEqual({ i, canary: 'canary-cipher' });
    }
    expect(source.reads).toBe(readsAfterSeal); // the version read came from the cache too
    expect(kms.unwraps).toBe(0);
  });

  it('refuses a ciphertext moved to another tenant or another field', async () => {
    const { cipher } = setup();
    const sealed = await cipher.seal({ tenantId: A }, 'runs.steps.output', Buffer.from('x'));
    await expect(cipher.open(B, 'runs.steps.output', sealed)).rejects.toThrow(/sealed for another tenant/);
    await expect(cipher.open(A, 'runs.memory.value', sealed)).rejects.toThrow(DecryptionFailedError);
  });

  it('keeps subject keys apart from the tenant key', async () => {
    const { cipher } = setup();
    const own = await cipher.seal({ tenantId: A }, 'p', Buffer.from('t'));
    const subj = await cipher.seal({ tenantId: A, subject: 'user-7' }, 'p', Buffer.from('s'));
    expect(decodeHeader(subj).header.scope).toEqual({ tenantId: A, subject: 'user-7' });
    expect(decodeHeader(own).header.scope).toEqual({ tenantId: A });
    expect((await cipher.open(A, 'p', subj)).toString()).toBe('s');
  });

  it('after rotation seals with the new version and still opens the old one', async () => {
    let now = 0;
    const { cipher, source, kms } = setup({ ttlMs: 1000, now: () => now });
    const old = await cipher.seal({ tenantId: A }, 'p', Buffer.from('before'));
    const v2 = source.rotate({ tenantId: A }, await kms.wrap(Buffer.alloc(32, 7), { tenantId: A }));
    now = 1001; // the cached active key expired: the next seal reads the new one
    const fresh = await cipher.seal({ tenantId: A }, 'p', Buffer.from('after'));
    expect(decodeHeader(old).header.keyVersion).toBe(1);
    expect(decodeHeader(fresh).header.keyVersion).toBe(v2);
    expect((await cipher.open(A, 'p', old)).toString()).toBe('before');
    expect((await cipher.open(A, 'p', fresh)).toString()).toBe('after');
  });

  it('fails with KeyDestroyedError once the key is shredded and the cache forgot it', async () => {
    const { cipher, source, cache } = setup();
    const sealed = await cipher.seal({ tenantId: A, subject: 'gone' }, 'p', Buffer.from('x'));
    source.rows.set(`${A}/gone`, [{ scope: { tenantId: A, subject: 'gone' }, version: 1, state: 'destroyed' }]);
    cache.forget({ tenantId: A, subject: 'gone' });
    await expect(cipher.open(A, 'p', sealed)).rejects.toThrow(KeyDestroyedError);
    await expect(cipher.seal({ tenantId: A, subject: 'gone' }, 'p', Buffer.from('y'))).rejects.toThrow(KeyDestroyedError);
  });

  it('passes plain JSON written before encryption through, and rejects bad scopes by field', async () => {
    const { cipher } = setup();
    expect(await cipher.openJson(A, 'p', { legacy: true })).toEqual({ legacy: true });
    expect(await cipher.openJson(A, 'p', null)).toBeNull();
    await expect(cipher.seal({ tenantId: 'nope' }, 'p', Buffer.from('x'))).rejects.toThrow(/keyScope.tenantId: must be a UUID/);
    await expect(cipher.seal({ tenantId: A, subject: 'a b' }, 'p', Buffer.from('x'))).rejects.toThrow(/keyScope.subject/);
  });
});

describe('PLAINTEXT (encryption off)', () => {
  it('stores values as they are and refuses to pretend it can open sealed ones', async () => {
    expect(await PLAINTEXT.sealJson({ tenantId: A }, 'p', { a: 1 })).toEqual({ a: 1 });
    const { cipher } = setup();
    const sealed = await cipher.sealJson({ tenantId: A }, 'p', 1);
    await expect(PLAINTEXT.openJson(A, 'p', sealed)).rejects.toThrow(/encryption is off/);
  });
});
