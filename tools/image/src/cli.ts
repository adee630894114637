/**
 * `tsx tools/image/src/cli.ts build <app>...`: the Nx `build` target of an app (`nx run
 * registry:build`): compiles apps/<app>/src/main.ts and what it requires into dist/ (same layout,
 * with proto/ and config/), runnable from the checkout as `node dist/apps/<app>/src/main.js`.
 *
 * `tsx tools/image/src/cli.ts tree <dir> [--no-cache]`: the production tree the image runs
 * (deploy/Dockerfile RUNs exactly this in its build stage); prints its path and size.
 */
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asWeaverError } from '@weaver/errors';
import { compileEntries } from './compile';
import { ASSETS, serviceEntries } from './image-layout';
import { assertProductionDependencies, buildProductionTree } from './production-tree';

const root = resolve(__dirname, '..', '..', '..');
const say = (line: string): void => void process.stderr.write(`[image] ${line}\n`);

function build(apps: string[]): void {
  const known = serviceEntries(root);
  const unknown = apps.filter((app) => known[app] === undefined);
  if (apps.length === 0 || unknown.length > 0) throw new Error(`build: name apps with a src/main.ts (${Object.keys(known).join(', ')}); unknown: ${unknown.join(', ')}`);
  const dist = join(root, 'dist');
  for (const app of apps) {
    rmSync(join(dist, 'apps', app), { recursive: true, force: true });
    const result = compileEntries(root, [known[app]!], dist);
    assertProductionDependencies(root, result.packages);
    say(`${app}: ${result.files.length} files → dist/apps/${app}/src/main.js`);
  }
  for (const asset of ASSETS) cpSync(join(root, asset), join(dist, asset), { recursive: true });
}

function tree(dir: string | undefined, noCache: boolean): void {
  if (dir === undefined) throw new Error('tree: name the output directory');
  const result = buildProductionTree({ root, outDir: resolve(dir), cacheDir: noCache ? false : undefined, onProgress: say });
  process.stdout.write(`${result.outDir}\n`);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'build') build(rest);
  else if (command === 'tree') tree(rest.find((a) => !a.startsWith('--')), rest.includes('--no-cache'));
  else throw new Error('usage: cli.ts build <app>... | tree <dir> [--no-cache]');
} catch (error) {
  process.stderr.write(`[image] ${asWeaverError(error).message}\n`);
  process.exit(1);
}
