/**
 * `npm test`: the whole suite, as CI runs it (`.ci/run` calls exactly this). Each stage prints
 * what it does and how long it took; all stages run even if one fails, and the last line is the
 * total "N passed, N failed" over every test.
 *   lint → proto lint + generated-code drift → typecheck → SDK reference (TypeDoc) → Go tools → unit tests → integration + e2e tests
 * Integration tests start one real Kafka broker and one real PostgreSQL for the whole run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const out = join(root, '.weaver', 'ci');
mkdirSync(out, { recursive: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };

interface Stage {
  name: string;
  cmd: string[];
  /** Jest JSON report, for the pass/fail count. */
  report?: string;
}

const stages: Stage[] = [
  { name: 'lint', cmd: ['npx', 'nx', 'run-many', '-t', 'lint', '--parallel=2', '--skip-nx-cache'] },
  { name: 'proto lint and drift', cmd: ['bash', '-c', 'npx nx run contracts:proto-lint --skip-nx-cache && npx nx run contracts:drift --skip-nx-cache'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  // The SDK's API reference (HTML into dist/docs/sdk): fails on any undocumented public symbol, broken link or unexported referenced type.
  { name: 'SDK API reference (TypeDoc validation)', cmd: ['npx', 'typedoc', '--options', 'libs/sdk/typedoc.json'] },
  // Built once per machine from the Go module proxy and cached (~/.cache/weaver/go), before the
  // tests that use them, so no test pays a build inside its timeout.
  { name: 'Go tools (tools/gobin)', cmd: ['npx', 'tsx', 'tools/gobin/src/cli.ts'] },
  { name: 'unit tests', cmd: ['npx', 'jest', '-c', 'jest.unit.config.js', '--json', `--outputFile=${join(out, 'unit.json')}`], report: join(out, 'unit.json') },
  {
    name: 'integration and end-to-end tests (real Kafka, PostgreSQL, S3Proxy, Redis)',
    cmd: ['npx', 'jest', '-c', 'jest.integration.config.js', '--json', `--outputFile=${join(out, 'integration.json')}`],
    report: join(out, 'integration.json'),
  },
];

let passed = 0;
let failed = 0;
const failures: string[] = [];
const started = Date.now();
for (const [i, stage] of stages.entries()) {
  process.stdout.write(`\n=== [${i + 1}/${stages.length}] ${stage.name}\n`);
  const t0 = Date.now();
  const res = spawnSync(stage.cmd[0]!, stage.cmd.slice(1), { cwd: root, env, stdio: 'inherit' });
  const ok = res.status === 0;
  if (stage.report && existsSync(stage.report)) {
    const r = JSON.parse(readFileSync(stage.report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites: number };
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  } else if (!stage.report) {
    // A check stage counts as one test: it passes or fails as a whole.
    if (ok) passed += 1;
    else failed += 1;
  } else if (!ok) failed += 1;
  if (!ok) failures.push(stage.name);
  process.stdout.write(`=== ${stage.name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
process.stdout.write(`\nsuite finished in ${((Date.now() - started) / 60_000).toFixed(1)} min${failures.length ? `; failed stages: ${failures.join(', ')}` : ''}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failures.length || failed ? 1 : 0);
