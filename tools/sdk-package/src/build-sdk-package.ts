import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

export const ROOT = join(__dirname, '..', '..', '..');
export const SDK_DIR = join(ROOT, 'libs', 'sdk');

/**
 * The Weaver libraries the SDK package may carry inside it (under `dist/_bundled/<lib>`): leaves
 * with no platform in them. Anything else an SDK file imports fails the build, so the package
 * never pulls the platform (Kafka, PostgreSQL, NestJS) into a user's project.
 */
export const BUNDLED_LIBS = ['errors', 'config', 'api-schema'] as const;

const WEAVER_IMPORT = /(from\s+|import\(\s*|require\(\s*)'@weaver\/([a-z-]+)'/g;
const isSource = (f: string): boolean => f.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(f);

/** The package's `package.json`. */
export function sdkManifest(): { name: string; version: string; dependencies: Record<string, string>; peerDependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8'));
}

/**
 * Writes the package into `packageDir`: `package.json` and `README.md` from libs/sdk, and
 * `dist/` compiled from `libs/sdk/src` (specs excluded) with the Weaver libs it imports —
 * JavaScript (CommonJS, ES2022) and declarations. The sources are staged first with each
 * `@weaver/<lib>` import rewritten to its bundled copy, because tsc keeps import specifiers as
 * written. Throws with tsc's diagnostics, or naming a platform import. Each call has its own
 * directories, so tests can build side by side.
 */
export function buildSdkPackage(packageDir: string): string {
  const outDir = join(packageDir, 'dist');
  // Staged inside the checkout (tmp/ is git-ignored) so that zod and cron-parser resolve from its node_modules.
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const stage = mkdtempSync(join(ROOT, 'tmp', 'sdk-build-'));
  try {
    const src = join(stage, 'src');
    copySources(join(SDK_DIR, 'src'), src);
    const pending = [src];
    const bundled = new Set<string>();
    while (pending.length) {
      for (const lib of rewriteImports(pending.pop()!, src)) {
        if (bundled.has(lib)) continue;
        if (!(BUNDLED_LIBS as readonly string[]).includes(lib)) throw new Error(`the SDK package must not pull the platform: it imports @weaver/${lib} (bundled: ${BUNDLED_LIBS.join(', ')})`);
        bundled.add(lib);
        copySources(join(ROOT, 'libs', lib, 'src'), join(src, '_bundled', lib));
        pending.push(join(src, '_bundled', lib));
      }
    }
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    for (const f of ['package.json', 'README.md']) cpSync(join(SDK_DIR, f), join(packageDir, f));
    compile(src, outDir);
    return packageDir;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** `npm pack` of a package built by `buildSdkPackage` into `destination`; returns the tarball's path. */
export function packSdk(packageDir: string, destination: string): string {
  mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(out) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack in ${packageDir} printed no tarball: ${out}`);
  return join(destination, packed.filename.replace(/^@weaver\//, 'weaver-'));
}

function copySources(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !isSource(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    mkdirSync(dirname(join(to, relative(from, file))), { recursive: true });
    cpSync(file, join(to, relative(from, file)));
  }
}

/** Rewrites `@weaver/<lib>` imports under `dir` to `<src>/_bundled/<lib>`; returns the libs seen. */
function rewriteImports(dir: string, src: string): Set<string> {
  const libs = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!entry.isFile() || (dir === src && relative(src, file).startsWith('_bundled'))) continue;
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(WEAVER_IMPORT, (_m, lead: string, lib: string) => {
      libs.add(lib);
      const target = relative(dirname(file), join(src, '_bundled', lib)) || '.';
      return `${lead}'${target.startsWith('.') ? target : `./${target}`}'`;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  return libs;
}

function compile(src: string, outDir: string): void {
  const files = readdirSync(src, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2023.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    experimentalDecorators: true,
    esModuleInterop: true,
    skipLibCheck: true,
    declaration: true,
    sourceMap: false,
    rootDir: src,
    outDir,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
  };
  const host = ts.createCompilerHost(options);
  const program = ts.createProgram(files, options, host);
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length) throw new Error(`SDK package build failed:\n${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' })}`);
}
