import { chmodSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a secret (0600, its folder 0700) through a temporary name, so a reader never sees half
 * of it. `firstWins`: processes starting together must agree on one secret, so the first
 * hard link wins (link never replaces an existing file) and the others keep that one; otherwise
 * the rename replaces the file atomically (a rotation).
 */
export function writeSecretFile(file: string, content: string, opts: { firstWins?: boolean } = {}): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask may have narrowed or the file existed
  if (!opts.firstWins) return renameSync(tmp, file);
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}
