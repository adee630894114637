import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from '@weaver/config';
import { ConfigError } from '@weaver/errors';
import { KmsError } from './crypto.errors';
import { encryptionContextOf, type Kms, type WrappedKey } from './kms';
import type { KeyScope } from './key-scope';
import { writeSecretFile } from '@weaver/config';

const Keyring = z.object({
  current: z.string().min(1),
  keys: z.array(z.object({ id: z.string().regex(/^local:[a-z0-9-]+$/), key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/), createdAt: z.string() })).min(1),
});
type Keyring = z.infer<typeof Keyring>;

const newEntry = (): Keyring['keys'][number] => ({ id: `local:${randomBytes(6).toString('hex')}`, key: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() });

function writeKeyring(file: string, ring: Keyring, opts: { onlyIfMissing?: boolean } = {}): void {
  writeSecretFile(file, `${JSON.stringify(ring, null, 2)}\n`, { firstWins: opts.onlyIfMissing });
}

function readKeyring(file: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError(`keyring ${file}`, [{ field: 'file', rule: 'must be JSON' }]);
  }
  const ring = Keyring.safeParse(parsed);
  if (!ring.success) throw new ConfigError(`keyring ${file}`, ring.error.issues.map((i) => ({ field: i.path.join('.'), rule: i.message })));
  if (!ring.data.keys.some((k) => k.id === ring.data.current)) throw new ConfigError(`keyring ${file}`, [{ field: 'current', rule: `must name one of its keys (${ring.data.current} is not)` }]);
  return ring.data;
}

/**
 * Development KEKs in a JSON file (mode 0600), created with one random key on first use —
 * by `npm run dev` and the tests, never by hand. The keys are never logged; errors name the
 * file and the rule only. `rotate()` adds a key and makes it current; older keys stay so the
 * data keys they wrapped still unwrap until `rewrapDataKeys` moved them over.
 */
export class LocalKms implements Kms {
  private ring: Keyring;

  private constructor(private readonly file: string, ring: Keyring) {
    this.ring = ring;
  }

  static open(file: string): LocalKms {
    if (!existsSync(file)) writeKeyring(file, ((e) => ({ current: e.id, keys: [e] }))(newEntry()), { onlyIfMissing: true });
    return new LocalKms(file, readKeyring(file));
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  /** A new KEK becomes current (new data keys are wrapped with it); returns its id. */
  rotate(): string {
    const entry = newEntry();
    this.ring = { current: entry.id, keys: [...this.ring.keys, entry] };
    writeKeyring(this.file, this.ring);
    return entry.id;
  }

  private kek(id: string): Buffer {
    // A KEK another process added (`tools/keys rotate-kek` while services run): read the file again.
    if (!this.ring.keys.some((k) => k.id === id)) this.ring = readKeyring(this.file);
    const entry = this.ring.keys.find((k) => k.id === id);
    if (!entry) throw new KmsError(`key-encryption key ${id} is not in keyring ${this.file}`);
    return Buffer.from(entry.key, 'base64');
  }

  async wrap(dataKey: Buffer, scope: KeyScope): Promise<WrappedKey> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek(this.ring.current), nonce);
    cipher.setAAD(Buffer.from(JSON.stringify(encryptionContextOf(scope))));
    const wrapped = Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { wrapped, kmsKeyId: this.ring.current };
  }

  async unwrap(key: WrappedKey, scope: KeyScope): Promise<Buffer> {
    const w = key.wrapped;
    const decipher = createDecipheriv('aes-256-gcm', this.kek(key.kmsKeyId), w.subarray(0, 12));
    decipher.setAAD(Buffer.from(JSON.stringify(encryptionContextOf(scope))));
    decipher.setAuthTag(w.subarray(w.length - 16));
    try {
      return Buffer.concat([decipher.update(w.subarray(12, w.length - 16)), decipher.final()]);
    } catch (error) {
      throw new KmsError(`data key of ${scope.tenantId} does not unwrap with ${key.kmsKeyId} (wrong scope or corrupted)`, { cause: error });
    }
  }
}
