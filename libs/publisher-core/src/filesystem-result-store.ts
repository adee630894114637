import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { NotFoundError, ValidationError } from '@weaver/errors';

import type { ResultStore } from './result-store';

/** Results as files under a root directory: the local default. */
export class FilesystemResultStore implements ResultStore {
  readonly kind = 'filesystem';
  private readonly root: string;

  constructor(root: string) {
    if (root.trim() === '') throw new ValidationError([{ field: 'root', rule: 'must be a directory path' }]);
    this.root = resolve(root);
  }

  // The content type lives in the results row; a plain file has nowhere to keep it.
  async write(objectKey: string, data: Buffer, _contentType?: string): Promise<void> {
    const file = this.pathOf(objectKey);
    await mkdir(dirname(file), { recursive: true });
    // Temp file in the same directory + fsync + rename: atomic on POSIX, so a crash leaves the
    // old object or the new one, never a torn file under the real name.
    const temp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(objectKey: string): Promise<void> {
    const file = this.pathOf(objectKey);
    await rm(file, { force: true });
    // Directories left empty go too: their names (tenant, run) are the erased party's as well.
    for (let dir = dirname(file); dir !== this.root && dir.startsWith(this.root + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') break;
        throw error;
      }
    }
  }

  async read(objectKey: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(objectKey));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('result object', objectKey);
      throw error;
    }
  }

  async check(): Promise<boolean> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
    return true;
  }

  /** Keys are validated upstream; this is the belt to that brace: never leave the root. */
  private pathOf(objectKey: string): string {
    const file = resolve(this.root, objectKey);
    const rel = relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).some((part) => part.startsWith('.'))) {
      throw new ValidationError([{ field: 'objectKey', rule: 'must stay inside the store root' }]);
    }
    return file;
  }
}
