/**
 * Builds the `@weaver/sdk` npm package and packs it (default into dist/packages, git-ignored):
 *   npx tsx tools/sdk-package/src/cli.ts [<dir>]
 */
import { join, resolve } from 'node:path';
import { buildSdkPackage, packSdk, ROOT } from './build-sdk-package';

const destination = resolve(process.argv[2] ?? join(ROOT, 'dist', 'packages'));
const built = buildSdkPackage(join(destination, 'sdk'));
process.stdout.write(`${packSdk(built, destination)}\n`);
