import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ROOT } from './build-sdk-package';

interface LockEntry {
  version: string;
  integrity?: string;
  dependencies?: Record<string, string>;
}

/**
 * Installs a project's dependencies with `npm ci --offline`: its lockfile is written from the
 * checkout's package-lock.json (same versions and integrity hashes, so npm takes the tarballs
 * from its cache, which the checkout's own `npm ci` filled), plus the SDK tarball as a
 * `file:` dependency. No registry is asked. `packages` are the project's other dependencies
 * by name; their dependencies are followed through the checkout's lock.
 */
export function installOffline(projectDir: string, sdkTarball: string, packages: string[], devPackages: string[] = []): void {
  const monorepo = (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const sdk = JSON.parse(execFileSync('tar', ['-xOzf', sdkTarball, 'package/package.json'], { encoding: 'utf8' })) as { version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  const tarball = `file:${relative(projectDir, sdkTarball) || basename(sdkTarball)}`;
  const entries: Record<string, LockEntry & { resolved?: string; dev?: boolean; peerDependencies?: Record<string, string> }> = {
    'node_modules/@weaver/sdk': { version: sdk.version, resolved: tarball, dependencies: sdk.dependencies, peerDependencies: sdk.peerDependencies },
  };
  const add = (name: string, dev: boolean): void => {
    const key = `node_modules/${name}`;
    if (entries[key]) return;
    const entry = monorepo[key];
    if (!entry) throw new Error(`installOffline: ${name} is not in the checkout's package-lock.json`);
    entries[key] = { version: entry.version, integrity: entry.integrity, dependencies: entry.dependencies, ...(dev ? { dev: true } : {}) };
    Object.keys(entry.dependencies ?? {}).forEach((d) => add(d, dev));
  };
  Object.keys(sdk.dependencies ?? {}).forEach((d) => add(d, false));
  packages.forEach((p) => add(p, false));
  devPackages.forEach((p) => add(p, true));
  const manifestPath = join(projectDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  manifest.dependencies = { ...manifest.dependencies, '@weaver/sdk': tarball, ...Object.fromEntries(packages.map((p) => [p, monorepo[`node_modules/${p}`]!.version])) };
  if (devPackages.length) manifest.devDependencies = { ...manifest.devDependencies, ...Object.fromEntries(devPackages.map((p) => [p, monorepo[`node_modules/${p}`]!.version])) };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const root = { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies };
  writeFileSync(join(projectDir, 'package-lock.json'), `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': root, ...entries } }, null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'] });
}
