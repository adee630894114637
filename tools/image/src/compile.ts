import { transformFileSync } from '@swc/core';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { ValidationError } from '@weaver/errors';
import { swcOptions } from './swc-options';

export interface CompileResult {
  /** Source files compiled (or copied, for .js/.json), relative to the root. */
  readonly files: string[];
  /** npm packages the compiled code requires, each with one file that requires it. */
  readonly packages: Map<string, string>;
}

const BUILTINS = new Set(builtinModules);
// SWC prints every import and export-from as require("..."); a hand-written require keeps its quotes.
const REQUIRE = /\brequire\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`; undefined for a Node built-in. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The source file a relative require of compiled code came from (x → x.ts, x/index.ts, x.json). */
function resolveSource(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base, `${base}.js`];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Compiles `entries` (paths relative to `root`) and everything they require, transitively, into
 * `outDir` with the same layout. Following the compiled code's requires (not the source's
 * imports) means type-only imports cost nothing and every runtime require is seen, so the
 * caller can check each package against package.json's production dependencies.
 */
export function compileEntries(root: string, entries: readonly string[], outDir: string): CompileResult {
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = entries.map((entry) => {
    const file = resolve(root, entry);
    if (!existsSync(file)) throw new ValidationError([{ field: `entry ${entry}`, rule: 'must exist under the repository root' }], 'image build');
    return file;
  });
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = relative(root, file);
    const target = join(outDir, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      copyFileSync(file, target);
      if (!file.endsWith('.js')) continue;
    }
    const code = file.endsWith('.ts') ? compileOne(root, compilerOptions.paths, file, target) : readFileSync(file, 'utf8');
    for (const match of code.matchAll(REQUIRE)) {
      const specifier = match[2]!;
      if (specifier.startsWith('.')) {
        const source = resolveSource(file, specifier);
        if (source === undefined) throw new ValidationError([{ field: `require("${specifier}") in ${rel}`, rule: 'must resolve to a .ts, index.ts or .json file' }], 'image build');
        queue.push(source);
      } else {
        const pkg = packageOf(specifier);
        if (pkg !== undefined && !packages.has(pkg)) packages.set(pkg, rel);
      }
    }
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), packages };
}

function compileOne(root: string, paths: Record<string, string[]>, file: string, target: string): string {
  const { code } = transformFileSync(file, swcOptions(root, paths, file));
  writeFileSync(target, code);
  return code;
}
