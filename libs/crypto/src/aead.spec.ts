import { randomBytes } from 'node:crypto';
import { openWith, sealWith, type DataKey } from './aead';
import { decodeHeader, FLAG_DEFLATED, looksSealed } from './ciphertext-format';
import { DecryptionFailedError } from './crypto.errors';

const T = '11111111-2222-4333-8444-555555555555';
const dek = (version = 1, subject?: string): DataKey => ({ scope: subject ? { tenantId: T, subject } : { tenantId: T }, version, key: randomBytes(32) });

describe('sealWith / openWith (AES-256-GCM, versioned header)', () => {
  const key = dek(3, 'user-42');
  const text = Buffer.from('{"secret":"canary-aead"}');

  it('round-trips and the header names scope, key version and nonce', () => {
    const sealed = sealWith(key, 'runs.steps.output', text);
    expect(looksSealed(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('canary-aead'))).toBe(false);
    const { header } = decodeHeader(sealed);
    expect(header).toMatchObject({ scope: { tenantId: T, subject: 'user-42' }, keyVersion: 3, flags: 0 });
    expect(header.nonce).toHaveLength(12);
    expect(openWith(key, 'runs.steps.output', sealed).equals(text)).toBe(true);
  });

  it('uses a fresh nonce per message', () => {
    const a = decodeHeader(sealWith(key, 'p', text)).header.nonce;
    const b = decodeHeader(sealWith(key, 'p', text)).header.nonce;
    expect(a.equals(b)).toBe(false);
  });

  it('fails on any flipped byte: header, body or tag', () => {
    const sealed = sealWith(key, 'p', text);
    for (const at of [3, 10, 30, sealed.length - 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = bad[at]! ^ 0x01;
      expect(() => openWith(key, 'p', bad)).toThrow(DecryptionFailedError);
    }
  });

  it('fails for another purpose (field) or another key', () => {
    const sealed = sealWith(key, 'runs.runs.input', text);
    expect(() => openWith(key, 'runs.runs.result', sealed)).toThrow(/authentication failed for purpose "runs.runs.result"/);
    expect(() => openWith({ ...key, key: randomBytes(32) }, 'runs.runs.input', sealed)).toThrow(DecryptionFailedError);
  });

  it('deflates large payloads before encrypting (flag set) and round-trips them', () => {
    const big = Buffer.from(JSON.stringify({ text: 'lorem ipsum dolor sit amet '.repeat(800) }));
    const sealed = sealWith(key, 'p', big);
    expect(decodeHeader(sealed).header.flags & FLAG_DEFLATED).toBe(FLAG_DEFLATED);
    expect(sealed.length).toBeLessThan(big.length / 5);
    expect(openWith(key, 'p', sealed).equals(big)).toBe(true);
  });

  it('keeps small or incompressible payloads uncompressed', () => {
    expect(decodeHeader(sealWith(key, 'p', text)).header.flags).toBe(0);
    const noise = randomBytes(4096);
    const sealed = sealWith(key, 'p', noise);
    expect(decodeHeader(sealed).header.flags).toBe(0);
    expect(openWith(key, 'p', sealed).equals(noise)).toBe(true);
  });

  it('names what is wrong with bytes that are not a ciphertext', () => {
    expect(() => decodeHeader(Buffer.from('{"plain":true}'))).toThrow(/no "WV" magic/);
    const future = sealWith(key, 'p', text);
    future[2] = 9;
    expect(() => decodeHeader(future)).toThrow(/unknown format version 9/);
    expect(() => decodeHeader(sealWith(key, 'p', text).subarray(0, 30))).toThrow(/truncated/);
  });
});
