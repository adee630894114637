import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalKms } from './local-kms';
import { KmsError } from './crypto.errors';

const A = { tenantId: 'aaaaaaaa-0000-4000-8000-000000000001' };
const B = { tenantId: 'bbbbbbbb-0000-4000-8000-000000000002' };
const fileIn = (): string => join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'nested', 'keyring.json');

describe('LocalKms (development keyring)', () => {
  it('creates the keyring on first use, private to the user', () => {
    const file = fileIn();
    const kms = LocalKms.open(file);
    expect(kms.currentKeyId).toMatch(/^local:[0-9a-f]{12}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(LocalKms.open(file).currentKeyId).toBe(kms.currentKeyId); // reopened, not remade
  });

  it('re-reads the keyring for a KEK another process added (rotation while services run)', async () => {
    const file = fileIn();
    const running = LocalKms.open(file);
    const operator = LocalKms.open(file);
    operator.rotate();
    const dek = randomBytes(32);
    const w = await operator.wrap(dek, A);
    expect(w.kmsKeyId).not.toBe(running.currentKeyId);
    expect((await running.unwrap(w, A)).equals(dek)).toBe(true);
  });

  it('wraps and unwraps a data key bound to its scope', async () => {
    const kms = LocalKms.open(fileIn());
    const dek = randomBytes(32);
    const w = await kms.wrap(dek, A);
    expect(w.wrapped.includes(dek)).toBe(false);
    expect((await kms.unwrap(w, A)).equals(dek)).toBe(true);
    await expect(kms.unwrap(w, B)).rejects.toThrow(KmsError);
    await expect(kms.unwrap(w, { ...A, subject: 'x' })).rejects.toThrow(KmsError);
  });

  it('rotates: new keys wrap with the new KEK, old wrapped keys still unwrap', async () => {
    const file = fileIn();
    const kms = LocalKms.open(file);
    const dek = randomBytes(32);
    const old = await kms.wrap(dek, A);
    const next = kms.rotate();
    expect(next).not.toBe(old.kmsKeyId);
    const reopened = LocalKms.open(file);
    expect(reopened.currentKeyId).toBe(next);
    expect((await reopened.wrap(dek, A)).kmsKeyId).toBe(next);
    expect((await reopened.unwrap(old, A)).equals(dek)).toBe(true);
  });

  it('names the rule a broken keyring breaks, without printing key material', () => {
    const file = fileIn();
    LocalKms.open(file);
    const ring = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ key: string }> };
    const secret = ring.keys[0]!.key;
    ring.keys[0]!.key = `${secret.slice(0, 10)}!`;
    writeFileSync(file, JSON.stringify(ring));
    expect(() => LocalKms.open(file)).toThrow(/keys\.0\.key/);
    try {
      LocalKms.open(file);
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain(secret.slice(0, 10));
    }
  });
});
