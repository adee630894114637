import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The Ed25519 key that signs audit checkpoints (AUDIT_SIGNING_KEY_FILE, PKCS#8 PEM), made
 * (0600) on first use and kept, so checkpoints of earlier runs stay verifiable. Written to a
 * temporary name and hard-linked into place (link never replaces a file), so processes starting
 * together never read half a key and all use the first one made. Node's crypto makes it (no openssl).
 */
export function ensureAuditSigningKeyFile(file: string): string {
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}
