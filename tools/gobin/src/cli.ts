/**
 * `tsx tools/gobin/src/cli.ts [name...]`: builds (or finds cached) the named Go tools, all by
 * default, and prints each binary's path. CI calls it once before the integration tests so the
 * builds are not paid inside a test's timeout.
 */
import { ensureGoTool } from './gobin';
import { GO_TOOLS, type GoToolName } from './tools';

const names = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GO_TOOLS)) as GoToolName[];
for (const name of names) {
  if (!(name in GO_TOOLS)) {
    process.stderr.write(`unknown Go tool "${name}"; known: ${Object.keys(GO_TOOLS).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${name}: ${ensureGoTool(name, (l) => process.stderr.write(`[gobin] ${l}\n`))}\n`);
}
