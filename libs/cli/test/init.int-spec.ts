/**
 * `weaver init` through the real binary: the scaffolded project depends on the @weaver/sdk
 * package (the tarball packed from this checkout), installs offline, type-checks with its own
 * TypeScript against the installed package, loads the way the agent-runner loads
 * WEAVER_WORKFLOWS modules (SWC with the repository's tsconfig), its agent produces a result
 * through the installed `@weaver/sdk/testing`, and `weaver dev` would host it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOffline } from '@weaver/sdk-package';
import { checkoutPaths } from '../src/config/checkout';
import { sdkTarballPath } from '../src/scaffold/sdk-tarball';
import { runWeaver } from './run-cli';

const ROOT = join(__dirname, '..', '..', '..');

function exec(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('weaver init', () => {
  let base: string;
  let project: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'weaver-init-int-'));
    project = join(base, 'news-digest');
    // A fresh pack, as on a new checkout: init builds the package when its tarball is missing.
    rmSync(sdkTarballPath(checkoutPaths()), { force: true });
    const { code, stdout, stderr } = await runWeaver(['init', 'news-digest', '--name', 'digester'], { cwd: base });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/created news-digest: agent digester in workflow news-digest/);
    expect(stdout).toMatch(/cd news-digest\n\s+npm install .*\n\s+weaver dev/);
    installOffline(project);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('depends on the packed SDK, installed like any npm package', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@weaver/sdk']).toMatch(new RegExp(`^file:${ROOT}/dist/packages/weaver-sdk-[0-9.]+\\.tgz$`));
    expect(JSON.parse(readFileSync(join(project, 'node_modules', '@weaver', 'sdk', 'package.json'), 'utf8'))).toMatchObject({ name: '@weaver/sdk', exports: { './testing': expect.anything() } });
  });

  it('type-checks with its own TypeScript against the installed package, and fails when the agent is wrong', async () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(await exec(process.execPath, [tsc, '--noEmit', '-p', project], project)).toMatchObject({ code: 0, stdout: '' });
    const extra = join(project, 'src', 'agents', 'extra.agent.ts');
    writeFileSync(extra, "import { Agent, z, type Input } from '@weaver/sdk';\nconst N = z.object({ n: z.number() });\nexport class Extra extends Agent<typeof N> {\n  async process({ n }: Input<this>) { return n.toUpperCase(); }\n}\n");
    try {
      const broken = await exec(process.execPath, [tsc, '--noEmit', '-p', project], project);
      expect(broken.code).not.toBe(0);
      expect(broken.stdout).toMatch(/extra\.agent\.ts.*Property 'toUpperCase' does not exist on type 'number'/);
    } finally {
      unlinkSync(extra);
    }
  });

  it('loads as the agent-runner loads it, and its agent answers through the installed @weaver/sdk/testing', async () => {
    // The agent-runner requires WEAVER_WORKFLOWS modules under @swc-node/register with the
    // repository's tsconfig and recognises a Workflow of any copy of the SDK by its brand.
    const script = `
      const { isWorkflow } = require(${JSON.stringify(join(ROOT, 'libs', 'sdk', 'src', 'internal.ts'))});
      const { testAgent } = require(require.resolve('@weaver/sdk/testing', { paths: [${JSON.stringify(project)}] }));
      const workflows = require(${JSON.stringify(join(project, 'src', 'workflows.ts'))}).default;
      const wf = workflows[0];
      const [def] = wf.agents;
      testAgent(def.agentClass, { text: 'Weaver runs each step once' }, { llm: (req) => 'one sentence about: ' + req.prompt }).then((run) => console.log(JSON.stringify({
        isWorkflow: isWorkflow(wf), name: wf.name, entry: wf.entryEventType, agent: def.name, capabilities: def.capabilities.map((c) => c.name), out: run.output,
      })));`;
    const { code, stdout, stderr } = await exec(process.execPath, ['-r', '@swc-node/register', '-e', script], ROOT, { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      isWorkflow: true, name: 'news-digest', entry: 'news-digest.requested', agent: 'digester', capabilities: ['digester'],
      out: { summary: 'one sentence about: Weaver runs each step once', words: 5 },
    });
  });

  it('makes `weaver dev` add the project to the stack', async () => {
    const { code, stdout } = await runWeaver(['dev', '--dry-run', '--json'], { cwd: join(project, 'src') });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      cwd: ROOT, command: ['npm', 'run', 'dev'], project,
      workflows: [join(ROOT, 'examples', 'content-pipeline', 'workflow.ts'), join(project, 'src', 'workflows.ts')],
    });
  });

  it('refuses a non-empty directory (exit 2) and leaves it alone', async () => {
    const before = readdirSync(project).sort();
    const { code, stdout, stderr } = await runWeaver(['init', 'news-digest'], { cwd: base });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: .*news-digest is not empty \(.*\); weaver init never writes over existing files\nhint: choose a new directory, e\.g\. weaver init my-agents\n$/);
    expect(readdirSync(project).sort()).toEqual(before);
    const badName = await runWeaver(['init', 'other', '--name', 'Bad_Name'], { cwd: base });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/--name: the agent name must be kebab-case/);
  });
});
