/**
 * Renders and validates deploy/helm/weaver: `helm lint --strict`, `helm template`, and
 * kubeconform in strict mode against the schemas made by k8s-schemas.ts (no network).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureGoTool } from '../../gobin/src/gobin';
import { ensureK8sSchemas } from './k8s-schemas';
import { KUBERNETES } from './schema-sources';

export const CHART_DIR = resolve(__dirname, '../../../deploy/helm/weaver');
/** The Kubernetes version manifests are rendered and validated for (the schemas' version). */
export const KUBE_VERSION = KUBERNETES.version.slice(1);

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

function run(binary: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(binary, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return res;
}

const valueArgs = (valuesFiles: readonly string[], set: readonly string[]): string[] => [
  ...valuesFiles.flatMap((f) => ['-f', join(CHART_DIR, f)]),
  ...set.flatMap((s) => ['--set', s]),
  '--kube-version',
  KUBE_VERSION,
];

export function helmLint(valuesFiles: readonly string[], set: readonly string[] = []): { ok: boolean; output: string } {
  const res = run(ensureGoTool('helm'), ['lint', '--strict', CHART_DIR, ...valueArgs(valuesFiles, set)]);
  return { ok: res.status === 0, output: res.stdout + res.stderr };
}

/** The rendered YAML (crds/ included: the AgentPool CRD is validated too), or the error Helm gave (a template `fail`). */
export function helmTemplate(valuesFiles: readonly string[], set: readonly string[] = []): { yaml: string; error?: string } {
  const res = run(ensureGoTool('helm'), ['template', 'weaver', CHART_DIR, '--namespace', 'weaver', '--include-crds', ...valueArgs(valuesFiles, set)]);
  return res.status === 0 ? { yaml: res.stdout } : { yaml: '', error: res.stderr };
}

export function manifestsOf(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

export interface Validation {
  resource: string;
  status: string;
  msg: string;
}

/** kubeconform -strict over rendered YAML; a kind without a schema is an error (never skipped). */
export function kubeconform(yaml: string): Validation[] {
  const location = `${ensureK8sSchemas()}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;
  const res = run(ensureGoTool('kubeconform'), ['-strict', '-output', 'json', '-verbose', '-kubernetes-version', KUBE_VERSION, '-schema-location', location, '-'], yaml);
  const report = JSON.parse(res.stdout) as { resources: Array<{ kind: string; name: string; status: string; msg: string }> };
  return report.resources.map((r) => ({ resource: `${r.kind}/${r.name}`, status: r.status, msg: r.msg }));
}
