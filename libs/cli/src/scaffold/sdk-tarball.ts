import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error';
import { checkoutPaths } from '../config/checkout';

type Paths = ReturnType<typeof checkoutPaths>;

/** The `@weaver/sdk` tarball of this checkout's SDK version (`npm pack` names scoped packages `<scope>-<name>-<version>.tgz`). */
export function sdkTarballPath(paths: Paths): string {
  const { version } = JSON.parse(readFileSync(paths.sdkManifest, 'utf8')) as { version: string };
  return join(paths.packages, `weaver-sdk-${version}.tgz`);
}

/**
 * The tarball a new project depends on, packed first when this checkout has none yet (the
 * package build, ~20 s, once per SDK version; `npx tsx tools/sdk-package/src/cli.ts` refreshes it).
 */
export function ensureSdkTarball(paths: Paths): string {
  const tarball = sdkTarballPath(paths);
  if (existsSync(tarball)) return tarball;
  const register = require.resolve('@swc-node/register', { paths: [paths.root] });
  const built = spawnSync(process.execPath, ['-r', register, paths.sdkPackager, paths.packages], { cwd: paths.root, env: { ...process.env, SWC_NODE_PROJECT: join(paths.root, 'tsconfig.json') }, encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(tarball)) {
    throw new CliError('FAILED_PRECONDITION', `cannot pack @weaver/sdk into ${paths.packages}: ${(built.stderr || built.error?.message || '').trim().slice(0, 2000)}`, `run \`npx tsx tools/sdk-package/src/cli.ts\` in ${paths.root} to see why`);
  }
  return tarball;
}

/** Versions a new project pins, from the checkout's lock: what the SDK was built and tested with. */
export function pinnedVersions(paths: Paths): { zod: string; typescript: string; nodeTypes: string } {
  const lock = (JSON.parse(readFileSync(paths.lockfile, 'utf8')) as { packages: Record<string, { version: string } | undefined> }).packages;
  const at = (name: string): string => lock[`node_modules/${name}`]?.version ?? 'latest';
  return { zod: at('zod'), typescript: at('typescript'), nodeTypes: at('@types/node') };
}
