/**
 * What the production tree (and so the image, deploy/Dockerfile) contains: the one list both the
 * Dockerfile and CI use, since the Dockerfile RUNs `tools/image/src/cli.ts tree` instead of
 * repeating these steps. The compiled JavaScript mirrors the source layout (apps/x/src/main.ts
 * → apps/x/src/main.js) because code finds files relative to itself or the working directory
 * (PROTO_ROOT is `<contracts>/../../../proto`, WEAVER_WORKFLOWS names `examples/...`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every app under apps/ with a `src/main.ts` is a service the image can run. */
export function serviceEntries(root: string): Record<string, string> {
  const apps = readdirSync(join(root, 'apps')).filter((app) => existsSync(join(root, 'apps', app, 'src', 'main.ts')));
  return Object.fromEntries(apps.sort().map((app) => [app, `apps/${app}/src/main.ts`]));
}

/** Commands the image runs that are not long-running services (the migrations Job). */
export const JOB_ENTRIES: Record<string, string> = { migrate: 'libs/migrate/src/migrate.main.ts' };

/**
 * Compiled too though nothing imports them statically: the workflows agent-runners load by path
 * (WEAVER_WORKFLOWS) and the image's entrypoint, which picks the command from its argument.
 */
export const EXTRA_ENTRIES = ['examples/index.ts', 'tools/image/src/entrypoint.ts'];

/** Files read at run time, copied as they are (apps/gateway/console: the web console's static files, docs/console.md). */
export const ASSETS = ['proto', 'config', 'apps/gateway/console'];

/** patch-package's patches, applied to the tree's node_modules at build (kept in the tree: they say what was changed). */
export const PATCH_DIR = 'patches';

/** What `npm ci --omit=dev` needs to install the production dependencies. */
export const INSTALL_FILES = ['package.json', 'package-lock.json', '.npmrc'];

/** The image's ENTRYPOINT script inside the tree (compiled from EXTRA_ENTRIES' entrypoint.ts). */
export const ENTRYPOINT = 'tools/image/src/entrypoint.js';

/** The compiled file of a source entry. */
export const compiledPath = (source: string): string => source.replace(/\.ts$/, '.js');
