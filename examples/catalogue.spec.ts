import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every example directory has a README, a workflow module and a test that runs it; the index lists them all. */
describe('the examples catalogue', () => {
  const dirs = readdirSync(__dirname).filter((d) => d !== 'test' && statSync(join(__dirname, d)).isDirectory()).sort();
  const index = readFileSync(join(__dirname, 'README.md'), 'utf8');

  it('has at least twenty examples', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(20);
  });

  it.each(dirs)('%s has a README, a workflow.ts and is listed in examples/README.md', (dir) => {
    const files = readdirSync(join(__dirname, dir));
    expect(files).toEqual(expect.arrayContaining(['README.md', 'workflow.ts']));
    expect(index).toContain(`](${dir}/README.md)`);
  });

  it.each(dirs)('%s is run by an integration test (its own, or one its README names)', (dir) => {
    const own = readdirSync(join(__dirname, dir)).some((f) => f.endsWith('.int-spec.ts'));
    const named = /\.\.\/[\w-]+\/[\w.-]+\.int-spec\.ts|in `\.\.\/[\w-]+\/[\w.-]+\.int-spec\.ts`/.test(readFileSync(join(__dirname, dir, 'README.md'), 'utf8'));
    expect(own || named).toBe(true);
  });

  it('lists no example that does not exist', () => {
    const listed = [...index.matchAll(/\]\(([\w-]+)\/README\.md\)/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(dirs);
  });
});
