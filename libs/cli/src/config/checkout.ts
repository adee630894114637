import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The Weaver checkout this CLI runs from (`bin/weaver` loads the sources in place), so
 * `weaver dev` and `weaver init` work from any directory. Until `@weaver/sdk` is published,
 * scaffolded projects link the SDK from here too.
 */
export const CHECKOUT_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const checkoutPaths = (root = CHECKOUT_ROOT) => ({
  root,
  sdkEntry: join(root, 'libs', 'sdk', 'src', 'index.ts'),
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
