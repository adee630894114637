/**
 * KEDA's own CRDs (ScaledObject, TriggerAuthentication), read from the Go module zip of
 * github.com/kedacore/keda/v2 (its config/crd/bases), which `go mod download` fetches through
 * the Go module proxy into the module cache once. Nothing of KEDA is committed here: the test
 * installs the real schema its ScaledObjects must validate against.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEDA_VERSION = 'v2.21.0';

export function kedaCrdYaml(name: 'scaledobjects' | 'triggerauthentications' | 'scaledjobs'): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `github.com/kedacore/keda/v2@${KEDA_VERSION}`], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    cwd: '/',
  });
  const { Dir: dir } = JSON.parse(out) as { Dir?: string };
  if (!dir) throw new Error(`go mod download of github.com/kedacore/keda/v2@${KEDA_VERSION} returned no module directory:\n${out}`);
  return readFileSync(join(dir, 'config', 'crd', 'bases', `keda.sh_${name}.yaml`), 'utf8');
}
