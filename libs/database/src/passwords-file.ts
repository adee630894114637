import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateServicePasswords, parseServicePasswords, type ServicePasswords } from './migrate';

/**
 * The services' database passwords in a JSON file (`{ "gateway": "...", ... }`, mode 0600), as
 * the local tools keep them in their data dir: made on first use, then reused, so a restart
 * keeps working and nothing is ever printed.
 */
export function servicePasswordsFile(path: string, options: { create: boolean }): ServicePasswords {
  if (!existsSync(path)) {
    if (!options.create) throw new Error(`${path}: no passwords file (run the migrate step with --generate-passwords to make one)`);
    mkdirSync(dirname(path), { recursive: true });
    const passwords = generateServicePasswords();
    writeFileSync(path, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return passwords;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseServicePasswords(parsed, path);
}
