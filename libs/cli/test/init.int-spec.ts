/**
 * `weaver init` through the real binary: the scaffolded project type-checks against this
 * checkout's SDK, loads the way the agent-runner loads WEAVER_WORKFLOWS modules (SWC with the
 * repository's tsconfig), its agent produces a result, and `weaver dev` would host it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const { code, stdout, stderr } = await runWeaver(['init', 'news-digest', '--name', 'digester'], { cwd: base });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/created news-digest: agent digester in workflow news-digest/);
    expect(stdout).toMatch(/cd news-digest\n\s+weaver dev/);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('creates a project that type-checks against the SDK of this checkout', async () => {
    const tsc = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project], ROOT);
    expect(tsc).toMatchObject({ code: 0, stdout: '' });
  });

  it('fails the type-check when the agent is wrong (the check above can fail)', async () => {
    const broken = join(base, 'broken');
    await runWeaver(['init', 'broken'], { cwd: base });
    writeFileSync(join(broken, 'src', 'agents', 'extra.agent.ts'), "import { Agent } from '@weaver/sdk';\nexport class Extra extends Agent<{ n: number }> {\n  async process({ n }: { n: number }) { return n.toUpperCase(); }\n}\n");
    const tsc = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', broken], ROOT);
    expect(tsc.code).not.toBe(0);
    expect(tsc.stdout).toMatch(/extra\.agent\.ts.*Property 'toUpperCase' does not exist/);
  });

  it('loads as the agent-runner loads it, and its agent answers', async () => {
    // The agent-runner requires WEAVER_WORKFLOWS modules under @swc-node/register with the
    // repository's tsconfig; the project must resolve @weaver/sdk to the same SDK module.
    const script = `
      const { Agent, Workflow } = require(${JSON.stringify(join(ROOT, 'libs', 'sdk', 'src', 'index.ts'))});
      const workflows = require(${JSON.stringify(join(project, 'src', 'workflows.ts'))}).default;
      const wf = workflows[0];
      const [def] = wf.agents;
      const agent = new def.agentClass();
      Agent.bind(agent, { llm: { generate: async (req) => ({ text: 'one sentence about: ' + req.prompt, toolCalls: [], model: 'm', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false }) } });
      agent.process(def.input.parse({ text: 'Weaver runs each step once' })).then((out) => console.log(JSON.stringify({
        isWorkflow: wf instanceof Workflow, name: wf.name, entry: wf.entryEventType, agent: def.name, capabilities: def.capabilities.map((c) => c.name), out,
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
