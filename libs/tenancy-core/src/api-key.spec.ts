import { createHash } from 'node:crypto';
import { hashApiKey, isWellFormedApiKey, issueApiKey } from './api-key';

describe('API keys', () => {
  it('issues wv_ + 32 base62 characters, stores only the SHA-256 and a short prefix', () => {
    const key = issueApiKey();
    expect(key.plaintext).toMatch(/^wv_[0-9A-Za-z]{32}$/);
    expect(key.hash).toBe(createHash('sha256').update(key.plaintext).digest('hex'));
    expect(key.plaintext.startsWith(key.prefix)).toBe(true);
    expect(key.prefix).toHaveLength(9);
    expect(isWellFormedApiKey(key.plaintext)).toBe(true);
  });

  it('never repeats and uses the whole alphabet', () => {
    const keys = Array.from({ length: 200 }, () => issueApiKey().plaintext);
    expect(new Set(keys).size).toBe(200);
    const chars = new Set(keys.join('').replace(/wv_/g, ''));
    expect(chars.size).toBe(62);
  });

  it('rejects anything not shaped like a key', () => {
    for (const bad of ['', 'wv_', 'wv_abc', `sk_${'a'.repeat(32)}`, `wv_${'a'.repeat(31)}!`, `wv_${'a'.repeat(33)}`]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
    expect(hashApiKey('x')).toHaveLength(64);
  });
});
