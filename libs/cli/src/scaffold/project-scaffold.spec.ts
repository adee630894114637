import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutPaths } from '../config/checkout';
import { projectNames } from './project-names';
import { scaffoldProject } from './project-scaffold';

describe('scaffoldProject', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'weaver-init-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the project files, linking the SDK of this checkout by path', () => {
    const dir = join(root, 'news-digest');
    const { files } = scaffoldProject(dir, projectNames(dir, { name: 'digester' }));
    expect(files.sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src/agents/digester.agent.ts', 'src/workflows.ts', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; weaver: { sdk: string; workflows: string[] } };
    expect(pkg.name).toBe('news-digest');
    expect(pkg.weaver).toMatchObject({ sdk: checkoutPaths().sdkEntry, workflows: ['src/workflows.ts'] });
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    // The SDK imports other Weaver libs (errors, config), so every @weaver/* maps into the checkout.
    expect(tsconfig.compilerOptions.paths['@weaver/*']).toEqual([join(checkoutPaths().root, 'libs/*/src/index.ts')]);
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
