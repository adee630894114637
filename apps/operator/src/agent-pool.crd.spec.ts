import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentPoolCrd, type JsonSchema } from './agent-pool.crd';
import { renderCrdYaml } from './crd-yaml';

describe('AgentPool CRD', () => {
  it('the committed chart file is what agent-pool.schema.ts makes (npx tsx apps/operator/src/crd.cli.ts regenerates it)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'deploy', 'helm', 'weaver', 'crds', 'agentpools.weaver.dev.yaml'), 'utf8');
    expect(committed).toBe(renderCrdYaml());
  });

  it('is structural: every node has a type (or is int-or-string), no $schema, no additionalProperties beside properties', () => {
    const problems: string[] = [];
    const walk = (node: JsonSchema, path: string): void => {
      if (node['$schema'] !== undefined) problems.push(`${path}: $schema`);
      if (node['type'] === undefined && node['x-kubernetes-int-or-string'] !== true) problems.push(`${path}: no type`);
      if (node['properties'] && node['additionalProperties'] !== undefined) problems.push(`${path}: properties and additionalProperties`);
      for (const [k, v] of Object.entries((node['properties'] as Record<string, JsonSchema> | undefined) ?? {})) walk(v, `${path}.${k}`);
      if (node['items']) walk(node['items'] as JsonSchema, `${path}[]`);
    };
    const version = (agentPoolCrd()['spec'] as { versions: { schema: { openAPIV3Schema: JsonSchema } }[] }).versions[0]!;
    walk(version.schema.openAPIV3Schema, '');
    expect(problems).toEqual([]);
  });
});
