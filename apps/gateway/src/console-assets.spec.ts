import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssets, CONSOLE_DIR } from './console-assets';

describe('ConsoleAssets', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
    mkdirSync(join(dir, 'js', 'views'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'js', 'views', 'runs.js'), 'export {}');
    writeFileSync(join(dir, 'console.css'), 'body{}');
    writeFileSync(join(dir, 'notes.txt'), 'not served');
    writeFileSync(join(dir, 'secret.json'), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page at the root and each file of a known type by its path, with its content type', () => {
    const assets = new ConsoleAssets(dir);
    expect(assets.get('')?.contentType).toBe('text/html; charset=utf-8');
    expect(assets.get('js/views/runs.js')).toEqual({ body: Buffer.from('export {}'), contentType: 'text/javascript; charset=utf-8' });
    expect(assets.get('console.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(assets.size).toBe(3);
  });

  it('has nothing for other types, other paths, or paths that climb out', () => {
    const assets = new ConsoleAssets(dir);
    for (const path of ['notes.txt', 'secret.json', '../index.html', 'js/../index.html', '/index.html', 'js', 'missing.js']) expect([path, assets.get(path)]).toEqual([path, undefined]);
  });

  it('finds the shipped console next to the gateway source (and, with the same layout, in the image)', () => {
    expect(existsSync(join(CONSOLE_DIR, 'index.html'))).toBe(true);
    const shipped = new ConsoleAssets(CONSOLE_DIR);
    expect(shipped.get('js/main.js')).toBeDefined();
    expect(shipped.get('console.css')).toBeDefined();
  });
});
