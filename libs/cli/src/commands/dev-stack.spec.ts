import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutPaths } from '../config/checkout';
import { spawnForeground } from './dev.command';
import { planDevStack } from './dev-stack';

describe('planDevStack', () => {
  let dir: string;
  const startup = checkoutPaths().startupWorkflow;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'weaver-dev-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs `npm run dev` in the checkout with the stack default outside a project', () => {
    expect(planDevStack(dir, {})).toEqual({ checkout: checkoutPaths().root, command: 'npm', args: ['run', 'dev'], project: undefined, workflows: [] });
    expect(planDevStack(dir, { once: true, verbose: true }).args).toEqual(['run', 'dev', '--', '--once', '--verbose']);
  });

  it("adds a project's workflows (found from a subdirectory), keeping the example the stack runs at start", () => {
    mkdirSync(join(dir, 'src', 'agents'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', weaver: { workflows: ['src/workflows.ts'] } }));
    writeFileSync(join(dir, 'src', 'workflows.ts'), 'export default [];');
    const plan = planDevStack(join(dir, 'src', 'agents'), {});
    expect(plan.project).toBe(dir);
    expect(plan.workflows).toEqual([startup, join(dir, 'src', 'workflows.ts')]);
  });

  it('takes --workflows relative to the working directory and names a missing module', () => {
    writeFileSync(join(dir, 'wf.ts'), 'export default [];');
    expect(planDevStack(dir, { workflows: ['wf.ts'] }).workflows).toEqual([startup, join(dir, 'wf.ts')]);
    expect(() => planDevStack(dir, { workflows: ['nope.ts'] })).toThrow(/^--workflows: .*nope\.ts does not exist$/);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ weaver: { workflows: ['src/gone.ts'] } }));
    expect(() => planDevStack(dir, {})).toThrow(/^package\.json weaver\.workflows: .*gone\.ts does not exist$/);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ weaver: { workflows: 'src/workflows.ts' } }));
    expect(() => planDevStack(dir, {})).toThrow(/package\.json: weaver\.workflows: /);
  });

  it('refuses a checkout without the local stack', () => {
    expect(() => planDevStack(dir, {}, dir)).toThrow(/has no local stack \(tools\/dev\/up\.ts is missing\)/);
  });
});

describe('spawnForeground', () => {
  it("passes the environment to the stack process and returns its exit code", async () => {
    const script = "process.exit(process.env.WEAVER_WORKFLOWS === '/a.ts,/b.ts' ? 7 : 1)";
    const plan = { checkout: tmpdir(), command: process.execPath, args: ['-e', script], workflows: [] };
    await expect(spawnForeground(plan, { ...process.env, WEAVER_WORKFLOWS: '/a.ts,/b.ts' })).resolves.toBe(7);
  });

  it('says what failed when the command cannot start', async () => {
    const plan = { checkout: tmpdir(), command: join(tmpdir(), 'no-such-npm'), args: [], workflows: [] };
    await expect(spawnForeground(plan, process.env)).rejects.toThrow(/cannot start `.*no-such-npm` \(ENOENT\)/);
  });
});
