import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ValidationError } from '@weaver/errors';
import { compileEntries, type CompileResult } from './compile';
import { ASSETS, EXTRA_ENTRIES, INSTALL_FILES, JOB_ENTRIES, PATCH_DIR, serviceEntries } from './image-layout';

export interface ProductionTreeOptions {
  /** The repository (the Docker build stage's WORKDIR, or this checkout). */
  root: string;
  /** Where the tree goes; emptied first. The runtime stage copies it as /weaver. */
  outDir: string;
  /**
   * Keeps the unpatched `npm ci --omit=dev` result per package-lock.json hash (default
   * ~/.cache/weaver/image), so a second build skips the install; `false` always installs.
   */
  cacheDir?: string | false;
  onProgress?: (line: string) => void;
}

export interface ProductionTree extends CompileResult {
  readonly outDir: string;
  /** The cached, unpatched production node_modules the tree's copy came from (with a cache only). */
  readonly pristineModules?: string;
}

/**
 * The production tree, as the image's runtime stage holds it: compiled JavaScript of every
 * service and the migrate Job, proto/ and config/, production dependencies only (`npm ci
 * --omit=dev --ignore-scripts`: no postinstall, so no patch-package, which is a dev tool), then
 * patches/ applied by patch-package from this (development) checkout.
 */
export function buildProductionTree(opts: ProductionTreeOptions): ProductionTree {
  const say = opts.onProgress ?? (() => undefined);
  rmSync(opts.outDir, { recursive: true, force: true });
  mkdirSync(opts.outDir, { recursive: true });
  const entries = [...Object.values(serviceEntries(opts.root)), ...Object.values(JOB_ENTRIES), ...EXTRA_ENTRIES];
  const compiled = compileEntries(opts.root, entries, opts.outDir);
  say(`compiled ${compiled.files.length} files from ${entries.length} entries`);
  assertProductionDependencies(opts.root, compiled.packages);
  for (const path of [...ASSETS, ...INSTALL_FILES, PATCH_DIR]) cpSync(join(opts.root, path), join(opts.outDir, path), { recursive: true });
  let pristineModules: string | undefined;
  if (opts.cacheDir === false) {
    say('npm ci --omit=dev --ignore-scripts...');
    npmCiProduction(opts.outDir);
  } else {
    pristineModules = cachedProductionModules(opts.root, opts.cacheDir ?? join(homedir(), '.cache', 'weaver', 'image'), say);
    cpSync(pristineModules, join(opts.outDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  // The build checkout's patch-package (a dev dependency there), applied to the tree's modules.
  const patchPackage = join(dirname(require.resolve('patch-package/package.json', { paths: [opts.root] })), 'index.js');
  execFileSync(process.execPath, [patchPackage, '--error-on-fail'], { cwd: opts.outDir, stdio: 'pipe' });
  say(`${PATCH_DIR}/ applied`);
  return { ...compiled, outDir: opts.outDir, pristineModules };
}

/** Every package the compiled code requires must be a production dependency, or the image breaks at run time. */
export function assertProductionDependencies(root: string, packages: ReadonlyMap<string, string>): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const missing = [...packages].filter(([pkg]) => manifest.dependencies?.[pkg] === undefined);
  if (missing.length > 0) {
    throw new ValidationError([{ field: 'package.json dependencies', rule: `must list every package the image requires: ${missing.map(([p, f]) => `${p} (required by ${f})`).join(', ')}` }], 'image build');
  }
}

function npmCiProduction(dir: string): void {
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'pipe' });
}

/** `npm ci --omit=dev` once per package-lock.json and Node version, kept unpatched under `cacheRoot`. */
function cachedProductionModules(root: string, cacheRoot: string, say: (line: string) => void): string {
  const key = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).update(process.version).digest('hex').slice(0, 16);
  const cached = join(cacheRoot, `node_modules-${key}`);
  if (existsSync(cached)) {
    say(`production dependencies from ${cached}`);
    return cached;
  }
  const work = join(cacheRoot, `install-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const file of INSTALL_FILES) cpSync(join(root, file), join(work, file));
  say('npm ci --omit=dev --ignore-scripts (once per package-lock.json)...');
  npmCiProduction(work);
  // Renamed into place only when complete, so a killed install is never taken for a cached one;
  // a concurrent build (another checkout's test run) may have got there first, which is as good.
  try {
    renameSync(join(work, 'node_modules'), cached);
  } catch (error) {
    if (!existsSync(cached)) throw error;
  }
  rmSync(work, { recursive: true, force: true });
  return cached;
}
