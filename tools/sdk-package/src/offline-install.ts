import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ROOT } from './build-sdk-package';

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The version of a package in the checkout's lock (what a project should pin to install offline). */
export function checkoutVersionOf(name: string): string {
  const entry = checkoutLock()[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in the checkout's package-lock.json`);
  return entry.version;
}

const checkoutLock = (): Record<string, LockEntry> => (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/**
 * Installs a project's dependencies with `npm ci --offline`, asking no registry: its lockfile
 * is written from the checkout's package-lock.json (same versions and integrity hashes, so npm
 * takes the tarballs from its cache, which the checkout's own `npm ci` filled). `@weaver/sdk`
 * must be a `file:` tarball (`npm pack` of the SDK); every other dependency must be at the
 * checkout's version; their dependencies are followed through the checkout's lock.
 */
export function installOffline(projectDir: string): void {
  const lock = checkoutLock();
  const manifest = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as Manifest;
  const entries: Record<string, LockEntry> = {};
  const add = (name: string, dev: boolean): void => {
    const key = `node_modules/${name}`;
    if (entries[key]) return;
    const entry = lock[key];
    if (!entry) throw new Error(`installOffline: ${name} is not in the checkout's package-lock.json`);
    entries[key] = { version: entry.version, integrity: entry.integrity, dependencies: entry.dependencies, ...(dev ? { dev: true } : {}) };
    Object.keys(entry.dependencies ?? {}).forEach((d) => add(d, dev));
  };
  for (const [deps, dev] of [[manifest.dependencies ?? {}, false], [manifest.devDependencies ?? {}, true]] as const) {
    for (const [name, spec] of Object.entries(deps)) {
      if (name === '@weaver/sdk') {
        if (!spec.startsWith('file:')) throw new Error(`installOffline: @weaver/sdk must be a file: tarball, got ${spec}`);
        const path = spec.slice('file:'.length);
        const tarball = isAbsolute(path) ? path : resolve(projectDir, path);
        const sdk = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' })) as LockEntry;
        entries['node_modules/@weaver/sdk'] = { version: sdk.version, resolved: spec, dependencies: sdk.dependencies, peerDependencies: sdk.peerDependencies };
        Object.keys(sdk.dependencies ?? {}).forEach((d) => add(d, dev));
        continue;
      }
      const at = lock[`node_modules/${name}`]?.version;
      if (at !== spec) throw new Error(`installOffline: ${name}@${spec} is not the checkout's version (${at ?? 'absent'}); only those are in the npm cache`);
      add(name, dev);
    }
  }
  const root = { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies };
  writeFileSync(join(projectDir, 'package-lock.json'), `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': root, ...entries } }, null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'] });
}
