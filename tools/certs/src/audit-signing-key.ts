import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
// eslint-disable-next-line @nx/enforce-module-boundaries -- jest's global setup loads this through Node's require: no path aliases
import { writeSecretFile } from '../../../libs/config/src/secret-file';

/**
 * The Ed25519 key that signs audit checkpoints (AUDIT_SIGNING_KEY_FILE, PKCS#8 PEM), made
 * (0600) on first use and kept, so checkpoints of earlier runs stay verifiable. Written to a
 * temporary name and hard-linked into place (link never replaces a file), so processes starting
 * together never read half a key and all use the first one made. Node's crypto makes it (no openssl).
 */
export function ensureAuditSigningKeyFile(file: string): string {
  if (existsSync(file)) return file;
  const { privateKey } = generateKeyPairSync('ed25519');
  writeSecretFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { firstWins: true });
  return file;
}
