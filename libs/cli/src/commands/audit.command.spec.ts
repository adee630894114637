import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-program';
import { memoryIo } from '../../test/memory-io';

describe('weaver audit verify (argument and file handling)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-audit-verify-'));

  it('fails verification (exit 1), not the CLI, on a malformed bundle', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ format: 'weaver-audit-bundle/1', tenantId: 't', fromSeq: 0, toSeq: 1, previousChainHash: '00', checkpoint: { treeSize: 1 }, entries: [{ seq: 0, entry: 'x', leafHash: '', chainHash: '' }], inclusionProofs: 'nope', earlierCheckpoints: [] }));
    const cli = memoryIo();
    expect(await runCli(['node', 'weaver', 'audit', 'verify', file], cli)).toBe(1);
    expect(cli.stdout.text()).toMatch(/NOT verified/);
  });

  it('is a usage error (exit 2) when the file is missing or not JSON', async () => {
    const missing = memoryIo();
    expect(await runCli(['node', 'weaver', 'audit', 'verify', join(dir, 'absent.json')], missing)).toBe(2);
    expect(missing.stderr.text()).toContain('ENOENT');
    writeFileSync(join(dir, 'text.json'), 'not json');
    expect(await runCli(['node', 'weaver', 'audit', 'verify', join(dir, 'text.json')], memoryIo())).toBe(2);
  });
});
