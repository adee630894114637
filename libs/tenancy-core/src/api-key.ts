import { createHash, randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const PREFIX = 'wv_';
const FORMAT = /^wv_[0-9A-Za-z]{32}$/;

/** A freshly issued key: `plaintext` goes to the caller once, the rest is stored. */
export interface IssuedApiKey {
  readonly plaintext: string;
  readonly hash: string;
  /** e.g. "wv_a1B2c3" — enough to tell keys apart, far too little to guess the rest. */
  readonly prefix: string;
}

/** `wv_` + 32 base62 characters (~190 bits) from the CSPRNG; randomInt avoids modulo bias. */
export function issueApiKey(): IssuedApiKey {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i += 1) body += ALPHABET[randomInt(ALPHABET.length)];
  const plaintext = PREFIX + body;
  return { plaintext, hash: hashApiKey(plaintext), prefix: plaintext.slice(0, PREFIX.length + 6) };
}

/**
 * Keys carry ~190 random bits, so a plain SHA-256 suffices (a slow KDF guards low-entropy
 * passwords, not random keys) and lets resolution look the hash up by index.
 */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function isWellFormedApiKey(value: string): boolean {
  return FORMAT.test(value);
}
