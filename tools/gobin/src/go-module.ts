import { spawnSync } from 'node:child_process';

/** A module's directory in the Go module cache, downloaded through GOPROXY when missing. */
export function goModuleDir(module: string, version: string): string {
  const res = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' }, maxBuffer: 16 * 1024 * 1024 });
  if (res.error) throw new Error(`go mod download ${module}@${version}: ${res.error.message} (is Go installed?)`);
  const info = JSON.parse(res.stdout || '{}') as { Dir?: string; Error?: string };
  if (res.status !== 0 || !info.Dir) throw new Error(`go mod download ${module}@${version} failed: ${info.Error ?? res.stderr}`);
  return info.Dir;
}
