/**
 * The SDK as users get it: `npm pack` of the built package, installed into a fresh project with
 * `npm ci --offline` (no checkout paths, no registry), type-checked there with the project's
 * own tsconfig (module resolution through the package's `exports`) and run with node.
 */
import { execFile, execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSdkPackage, checkoutVersionOf, installOffline, packSdk, sdkManifest } from '@weaver/sdk-package';

const ROOT = join(__dirname, '..', '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

const AGENT = `import { Agent, agent, Workflow, z, type Input } from '@weaver/sdk';
import { testAgent } from '@weaver/sdk/testing';

const Order = z.object({ id: z.string().min(1), amount: z.number().positive() });
const Receipt = z.object({ id: z.string(), line: z.string() });

@agent({ name: 'cashier', requires: ['order.placed'], publishes: ['order.paid'], input: Order, output: Receipt })
export class Cashier extends Agent<typeof Order, typeof Receipt> {
  async process({ id, amount }: Input<this>) {
    const { text } = await this.llm.generate({ prompt: \`receipt for \${id}: \${amount}\` });
    return { id, line: text };
  }
}

export const shop = new Workflow('shop').addAgents(Cashier);
// @ts-expect-error the entry agent's schema types run(): amount must be a number
void (() => shop.run({ id: 'x', amount: 'ten' }));

async function main(): Promise<void> {
  const ok = await testAgent(Cashier, { id: 'o-1', amount: 10 }, { llm: (r) => 'paid: ' + r.prompt });
  const bad = await testAgent(Cashier, { id: '', amount: 10 }).catch((e: { violations?: unknown }) => e.violations);
  console.log(JSON.stringify({ output: ok.output, calls: ok.llmCalls.length, bad, entry: shop.entryEventType }));
}
void main();
`;

describe('the @weaver/sdk npm package', () => {
  let base: string;
  let tarball: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'weaver-sdk-pkg-'));
    tarball = packSdk(buildSdkPackage(join(base, 'package')), join(base, 'packed'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('packs the three entry points with their types, the bundled leaf libs, and no sources or specs', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const entry of ['index', 'testing', 'internal']) expect(files).toEqual(expect.arrayContaining([`dist/${entry}.js`, `dist/${entry}.d.ts`]));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/_bundled/errors/index.js', 'dist/_bundled/config/index.js']));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /spec/.test(f))).toEqual([]);
  });

  it('requires only its declared dependencies and node built-ins (never another @weaver lib)', () => {
    const dir = join(base, 'package', 'dist');
    const declared = new Set([...Object.keys(sdkManifest().dependencies), ...Object.keys(sdkManifest().peerDependencies)]);
    const bare = new Set<string>();
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(js|d\.ts)$/.test(f))) {
      for (const [, spec] of readFileSync(join(dir, f), 'utf8').matchAll(/(?:require\(|from |import\()\s*["']([^"'.][^"']*)["']/g)) bare.add(spec!);
    }
    const undeclared = [...bare].filter((s) => !declared.has(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!) && !builtinModules.includes(s.replace(/^node:/, '')));
    expect(undeclared).toEqual([]);
    expect([...bare].sort()).toEqual(expect.arrayContaining(['zod', 'cron-parser']));
  });

  it('installs offline into a new project, type-checks through its exports, and runs an agent with testAgent', async () => {
    const project = join(base, 'shop');
    mkdirSync(join(project, 'src'), { recursive: true });
    const dependencies = { '@weaver/sdk': `file:${tarball}`, zod: checkoutVersionOf('zod') };
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true, dependencies, devDependencies: { '@types/node': checkoutVersionOf('@types/node') } }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, experimentalDecorators: true, outDir: 'out', rootDir: 'src', types: ['node'] },
      include: ['src'],
    }));
    writeFileSync(join(project, 'src', 'main.ts'), AGENT);
    installOffline(project);
    expect(readdirSync(join(project, 'node_modules', '@weaver', 'sdk'))).toEqual(expect.arrayContaining(['dist', 'package.json']));
    const tsc = await run(process.execPath, [TSC, '-p', project], project);
    expect(tsc).toEqual({ code: 0, stdout: '', stderr: '' });
    const node = await run(process.execPath, [join(project, 'out', 'main.js')], project);
    expect({ code: node.code, stderr: node.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(node.stdout)).toEqual({
      output: { id: 'o-1', line: 'paid: receipt for o-1: 10' },
      calls: 1,
      bad: [{ field: 'input.id', rule: 'Too small: expected string to have >=1 characters' }],
      entry: 'order.placed',
    });
  });
});
