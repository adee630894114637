/**
 * deploy/Dockerfile and the production-tree script must not drift: the Dockerfile RUNs the
 * script, COPYs every path the script reads, and starts the entrypoint the script compiles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileEntries } from './compile';
import { ASSETS, ENTRYPOINT, EXTRA_ENTRIES, INSTALL_FILES, JOB_ENTRIES, PATCH_DIR, serviceEntries } from './image-layout';

const REPO = join(__dirname, '..', '..', '..');
const dockerfile = readFileSync(join(REPO, 'deploy', 'Dockerfile'), 'utf8');
const [buildStage = '', runtimeStage = ''] = dockerfile.split(/^FROM /m).slice(1);
const copied = [...buildStage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
const isCopied = (path: string): boolean => copied.some((c) => path === c || path.startsWith(`${c}/`));

describe('deploy/Dockerfile', () => {
  it('builds the production tree with the script CI tests, and runs the entrypoint that script compiles', () => {
    expect(buildStage).toMatch(/^RUN npx tsx tools\/image\/src\/cli\.ts tree \/weaver\b/m);
    expect(runtimeStage).toContain('COPY --from=build /weaver /weaver');
    expect(runtimeStage).toContain(`ENTRYPOINT ["node", "${ENTRYPOINT}"]`);
    expect(runtimeStage).toMatch(/^USER 1000:1000$/m);
  });

  it('copies into the build stage every file the tree build reads', () => {
    const out = mkdtempSync(join(tmpdir(), 'weaver-dockerfile-'));
    try {
      const entries = [...Object.values(serviceEntries(REPO)), ...Object.values(JOB_ENTRIES), ...EXTRA_ENTRIES];
      const { files } = compileEntries(REPO, entries, out);
      const read = [...files, ...ASSETS, ...INSTALL_FILES, PATCH_DIR, 'tsconfig.base.json', 'tools/image/src/cli.ts'];
      expect(read.filter((path) => !isCopied(path))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
