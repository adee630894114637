import { spawnSync } from 'node:child_process';

/** Debian's `prometheus` package installs it here (.ci/run installs the package). */
export const PROMTOOL = process.env['PROMTOOL'] ?? '/usr/bin/promtool';

export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Runs `promtool <args>` with `stdin` piped in; never throws, so a test can show the output. */
export function promtool(args: readonly string[], stdin?: string): PromtoolResult {
  const res = spawnSync(PROMTOOL, args, { input: stdin, encoding: 'utf8', timeout: 60_000 });
  if (res.error) return { ok: false, output: `${PROMTOOL}: ${res.error.message} (install Debian's prometheus package)` };
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim() };
}

/** `promtool check metrics`: lint problems of one /metrics exposition (empty when clean). */
export function lintMetrics(exposition: string): PromtoolResult {
  return promtool(['check', 'metrics'], exposition);
}
