/**
 * `tsx apps/operator/src/crd.cli.ts [--check]`: writes the AgentPool CRD into the Helm chart's
 * crds/ (Helm installs it before the chart's templates), or with --check exits 1 when the
 * committed file differs from what agent-pool.schema.ts makes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCrdYaml } from './crd-yaml';

const file = join(__dirname, '..', '..', '..', 'deploy', 'helm', 'weaver', 'crds', 'agentpools.weaver.dev.yaml');
const yaml = renderCrdYaml();
if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== yaml) {
    process.stderr.write(`${file} is stale: run npx tsx apps/operator/src/crd.cli.ts\n`);
    process.exit(1);
  }
} else {
  writeFileSync(file, yaml);
  process.stdout.write(`wrote ${file}\n`);
}
