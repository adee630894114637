/**
 * JSON Schemas for kubeconform, made offline: one file per group/kind/version under
 * ~/.cache/weaver/k8s-schemas/<sources>/, laid out as `<group>/<kind>_<version>.json` (core
 * kinds under `v1/`), in strict form (objects refuse unknown fields unless the API says they
 * preserve them). Built from the OpenAPI v3 document of k8s.io/kubernetes and the CRDs'
 * openAPIV3Schema (schema-sources.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cacheRoot } from '../../kafka/src/paths';
import { ensureGoTool } from '../../gobin/src/gobin';
import { goModuleDir } from '../../gobin/src/go-module';
import { CRD_SOURCES, KUBERNETES, MONITORING_CRDS } from './schema-sources';
import { strictSchema, type Schema } from './strict-schema';

/** The schema directory, generated once per set of sources. */
export function ensureK8sSchemas(): string {
  const tag = [KUBERNETES.version, ...CRD_SOURCES.map((s) => `${s.module.split('/').at(-2)}-${s.version}`), `mon-${MONITORING_CRDS.version}-${MONITORING_CRDS.files.length}`].join('_');
  const dir = join(cacheRoot(), 'k8s-schemas', tag);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeKubernetes(dir);
  for (const src of CRD_SOURCES) {
    const root = goModuleDir(src.module, src.version);
    for (const file of src.files) writeCrds(dir, readFileSync(join(root, file), 'utf8'));
  }
  writeCrds(dir, monitoringCrds());
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

function write(dir: string, group: string, kind: string, version: string, schema: Schema): void {
  const sub = join(dir, group === '' ? 'v1' : group);
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `${kind.toLowerCase()}_${version}.json`), JSON.stringify(schema));
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function writeKubernetes(dir: string): void {
  const specDir = join(goModuleDir(KUBERNETES.module, KUBERNETES.version), KUBERNETES.openapiDir);
  for (const file of readdirSync(specDir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as { components?: { schemas?: Record<string, Schema> } };
    const defs = doc.components?.schemas ?? {};
    for (const [name, def] of Object.entries(defs)) {
      const gvks = (def['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? [];
      // A kind's own definition (not its List, not the shared meta types listed under many GVKs).
      for (const gvk of gvks.length === 1 ? gvks : []) {
        if (gvk.kind.endsWith('List') || name.startsWith('io.k8s.apimachinery')) continue;
        write(dir, gvk.group, gvk.kind, gvk.version, standalone(name, defs));
      }
    }
  }
}

/** The definition with every definition it reaches under $defs, refs rewritten to them. */
function standalone(name: string, defs: Record<string, Schema>): Schema {
  const reached = new Map<string, Schema>();
  const visit = (n: string): void => {
    if (reached.has(n)) return;
    const def = defs[n];
    if (!def) throw new Error(`OpenAPI definition ${n} is missing`);
    reached.set(n, def);
    JSON.stringify(def, (key, value: unknown) => {
      if (key === '$ref' && typeof value === 'string') visit(value.replace('#/components/schemas/', ''));
      return value;
    });
  };
  visit(name);
  const rewritten = JSON.parse(JSON.stringify(Object.fromEntries(reached)).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, Schema>;
  const $defs = Object.fromEntries(Object.entries(rewritten).map(([n, d]) => [n, strictSchema(d)]));
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $ref: `#/$defs/${name}`, $defs };
}

interface Crd {
  kind?: string;
  spec?: { group: string; names: { kind: string }; versions: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> };
}

function writeCrds(dir: string, yamlText: string): void {
  for (const doc of parseAllDocuments(yamlText)) {
    const crd = doc.toJS() as Crd | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    for (const v of crd.spec.versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (schema) write(dir, crd.spec.group, crd.spec.names.kind, v.name, { $schema: 'https://json-schema.org/draft/2020-12/schema', ...strictSchema(schema) });
    }
  }
}

/** controller-gen over the monitoring API types module (copied: the module cache is read-only). */
function monitoringCrds(): string {
  const src = goModuleDir(MONITORING_CRDS.module, MONITORING_CRDS.version);
  const work = join(cacheRoot(), 'k8s-schemas', `.monitoring-${MONITORING_CRDS.version}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(src, join(work, 'src'), { recursive: true });
  chmodSync(join(work, 'src'), 0o755);
  makeWritable(join(work, 'src'));
  const out = join(work, 'crd');
  const res = spawnSync(ensureGoTool('controller-gen'), ['crd', 'paths=./v1/...', `output:crd:dir=${out}`], { cwd: join(work, 'src'), encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } });
  if (res.status !== 0) throw new Error(`controller-gen failed: ${res.stderr}`);
  return MONITORING_CRDS.files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n---\n');
}

function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(path);
  }
}
