import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { FilesystemResultStore } from './filesystem-result-store';

describe('FilesystemResultStore (on the real filesystem)', () => {
  const root = mkdtempSync(join(tmpdir(), 'weaver-results-'));
  const store = new FilesystemResultStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes atomically, replacing, and leaves no temp files behind', async () => {
    await store.write('tenants/t/runs/r/s', Buffer.from('first'), 'text/plain');
    await store.write('tenants/t/runs/r/s', Buffer.from('second'), 'text/plain');
    expect((await store.read('tenants/t/runs/r/s')).toString()).toBe('second');
    expect(readdirSync(join(root, 'tenants/t/runs/r'))).toEqual(['s']);
    expect(await store.check()).toBe(true);
  });

  it('says NotFound for a missing object and refuses keys that leave the root', async () => {
    await expect(store.read('tenants/t/runs/r/missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.write('../escape', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.read('tenants/t/runs/r/.hidden')).rejects.toBeInstanceOf(ValidationError);
  });
});
