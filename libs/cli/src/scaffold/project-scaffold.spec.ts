import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutPaths } from '../config/checkout';
import { projectNames } from './project-names';
import { scaffoldProject } from './project-scaffold';
import { sdkTarballPath } from './sdk-tarball';

describe('scaffoldProject', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'weaver-init-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the project files, depending on the @weaver/sdk package (no paths into the checkout)', () => {
    const dir = join(root, 'news-digest');
    const { files } = scaffoldProject(dir, projectNames(dir, { name: 'digester' }));
    expect(files.sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src/agents/digester.agent.ts', 'src/workflows.ts', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; weaver: Record<string, unknown>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.name).toBe('news-digest');
    expect(pkg.weaver).toEqual({ workflows: ['src/workflows.ts'] });
    const tarball = sdkTarballPath(checkoutPaths());
    expect(tarball).toMatch(/dist\/packages\/weaver-sdk-\d+\.\d+\.\d+\.tgz$/);
    expect(pkg.dependencies).toEqual({ '@weaver/sdk': `file:${tarball}`, zod: expect.stringMatching(/^4\./) });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
    const text = readFileSync(join(dir, 'tsconfig.json'), 'utf8') + readFileSync(join(dir, 'package.json'), 'utf8').replace(tarball, '');
    // Nothing points into the checkout's sources or node_modules any more.
    expect(text).not.toMatch(/libs\/|node_modules|"paths"|typeRoots/);
    const agent = readFileSync(join(dir, 'src/agents/digester.agent.ts'), 'utf8');
    expect(agent).toContain("name: 'digester'");
    expect(agent).toContain('export class Digester extends Agent');
    expect(agent.split('\n').length).toBeLessThanOrEqual(14);
    expect(readFileSync(join(dir, 'src/workflows.ts'), 'utf8')).toContain("new Workflow('news-digest').addAgents(Digester)");
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain("weaver run news-digest --input '{\"text\"");
  });

  it('refuses a non-empty directory and writes nothing into it', () => {
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => scaffoldProject(dir, projectNames(dir, {}))).toThrow(/taken is not empty \(notes\.txt\); weaver init never writes over existing files/);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
  });

  it('refuses a file in the way', () => {
    const file = join(root, 'file');
    writeFileSync(file, '');
    expect(() => scaffoldProject(file, projectNames(file, {}))).toThrow(/exists and is not a directory/);
  });

  it('accepts an empty existing directory', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    expect(scaffoldProject(dir, projectNames(dir, {})).files).toHaveLength(6);
  });
});
