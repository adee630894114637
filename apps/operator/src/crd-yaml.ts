import { stringify } from 'yaml';
import { agentPoolCrd } from './agent-pool.crd';

/** The CRD file's text, header included (what crd.cli.ts writes and the drift test compares). */
export function renderCrdYaml(): string {
  const header = '# Generated from apps/operator/src/agent-pool.schema.ts by `npx tsx apps/operator/src/crd.cli.ts`: do not edit.\n';
  // Plain YAML: client-node's dumpYaml re-serialises through its typed model and drops `default`.
  return header + stringify(agentPoolCrd(), { lineWidth: 0 });
}
