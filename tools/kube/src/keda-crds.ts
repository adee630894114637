/**
 * KEDA's own CRDs (ScaledObject, TriggerAuthentication), read from the Go module zip of
 * github.com/kedacore/keda/v2 (its config/crd/bases), which `go mod download` fetches through
 * the Go module proxy into the module cache once. Nothing of KEDA is committed here: the test
 * installs the real schema its ScaledObjects must validate against, and the chart's manifests
 * are validated against the same release (tools/helm/src/schema-sources.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/gobin and tools/kafka are dev tools, not Nx projects (as in the global setup)
import { goModuleDir } from '../../gobin/src/go-module';

export const KEDA_MODULE = 'github.com/kedacore/keda/v2';
export const KEDA_VERSION = 'v2.21.0';

export function kedaCrdYaml(name: 'scaledobjects' | 'triggerauthentications' | 'scaledjobs'): string {
  return readFileSync(join(goModuleDir(KEDA_MODULE, KEDA_VERSION), 'config', 'crd', 'bases', `keda.sh_${name}.yaml`), 'utf8');
}
