/**
 * Capability-token keys for local stacks and tests: made once per data directory and kept
 * (so tokens stay valid across restarts of `npm run dev`). Production keys come from a secret.
 *   npx tsx tools/stack/src/capability-keys.ts new <file.json>   — writes a new keyring file
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateCapabilityKey } from '@weaver/publisher-core';

export interface CapabilityKeyEnv {
  /** For the publisher only (private). */
  CAPABILITY_SIGNING_KEY: string;
  /** For every verifier (public). */
  CAPABILITY_VERIFY_KEYS: string;
}

/** The keyring in `file`, made (0600) when missing. */
export function ensureCapabilityKeys(file: string): CapabilityKeyEnv {
  if (!existsSync(file)) {
    const key = generateCapabilityKey();
    mkdirSync(dirname(file), { recursive: true });
    const env: CapabilityKeyEnv = { CAPABILITY_SIGNING_KEY: JSON.stringify(key.signing), CAPABILITY_VERIFY_KEYS: JSON.stringify({ keys: [key.public] }) };
    writeFileSync(file, JSON.stringify(env, null, 2), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as CapabilityKeyEnv;
}

if (require.main === module) {
  const [command, file] = process.argv.slice(2);
  if (command !== 'new' || !file || existsSync(file)) {
    console.error('usage: capability-keys.ts new <file.json>   (the file must not exist)');
    process.exit(2);
  }
  ensureCapabilityKeys(file);
  console.log(`wrote ${file}: CAPABILITY_SIGNING_KEY (publisher only) and CAPABILITY_VERIFY_KEYS (publisher and gateway)`);
}
