/**
 * The image's ENTRYPOINT (`node tools/image/src/entrypoint.js <command>`): the container's first
 * argument picks what runs, so one image serves every Deployment and the migrations Job.
 *   <service>  apps/<service>/src/main.js (gateway, registry, router, agent-runner, ...)
 *   migrate    libs/migrate/src/migrate.main.js (the weaver-migrate Job; later arguments pass on)
 * Plain Node built-ins only: it runs before anything else is loaded.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The tree's root: this file is <root>/tools/image/src/entrypoint.js.
const root = join(__dirname, '..', '..', '..');
const JOBS: Record<string, string> = { migrate: join(root, 'libs', 'migrate', 'src', 'migrate.main.js') };

function services(): string[] {
  return readdirSync(join(root, 'apps')).filter((app) => existsSync(join(root, 'apps', app, 'src', 'main.js')));
}

const command = process.argv[2] ?? '';
const main = JOBS[command] ?? (/^[a-z][a-z0-9-]*$/.test(command) ? join(root, 'apps', command, 'src', 'main.js') : undefined);
if (main === undefined || !existsSync(main)) {
  process.stderr.write(`weaver image: the first argument must be a service (${services().join(', ')}) or ${Object.keys(JOBS).join(', ')}; got "${command}"\n`);
  process.exit(64); // EX_USAGE
}
// The command sees its own arguments as if started directly (`migrate --generate-passwords`).
process.argv.splice(2, 1);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the command is chosen at run time
require(main);
