import { readFileSync } from 'node:fs';
import { ConfigError } from '@weaver/errors';
import type { Secret } from '../kafka-config';

/** Reads a file the config names, failing with the variable's rule rather than a bare ENOENT. */
export function readConfigFile(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('Kafka connection', [{ field, rule: `cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
}

export const secretValue = (secret: Secret, field: string): string => ('file' in secret ? readConfigFile(secret.file, `${field}_FILE`).trim() : secret.value);
