import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The Weaver checkout this CLI runs from (`bin/weaver` loads the sources in place), so
 * `weaver dev` and `weaver init` work from any directory. Scaffolded projects depend on the
 * `@weaver/sdk` package packed from here (`sdkTarball`), not on paths into the checkout.
 */
export const CHECKOUT_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const checkoutPaths = (root = CHECKOUT_ROOT) => ({
  root,
  sdkEntry: join(root, 'libs', 'sdk', 'src', 'index.ts'),
  /** The SDK package's manifest (its version names the tarball). */
  sdkManifest: join(root, 'libs', 'sdk', 'package.json'),
  /** Where `tools/sdk-package` packs `@weaver/sdk` (git-ignored). */
  packages: join(root, 'dist', 'packages'),
  sdkPackager: join(root, 'tools', 'sdk-package', 'src', 'cli.ts'),
  lockfile: join(root, 'package-lock.json'),
  nodeTypes: join(root, 'node_modules', '@types'),
  tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  launcher: join(root, 'bin', 'weaver'),
  templates: join(root, 'templates'),
  /** The workflow `npm run dev` runs as its start-up check, so it must always be loaded. */
  startupWorkflow: join(root, 'examples', 'content-pipeline', 'workflow.ts'),
  credentials: join(root, '.weaver', 'credentials.json'),
});

/** The nearest `<dir>/<relative>` from `start` upwards, or undefined. */
export function findUpwards(start: string, relative: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
