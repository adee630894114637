/**
 * Go programs the suite needs (Helm, Jaeger, kube-apiserver, ...), built once from the Go module
 * proxy with the machine's `go` and cached as binaries under ~/.cache/weaver/go/<name>-<version>,
 * like the Kafka jars. Nothing is downloaded from GitHub: `go install` goes through GOPROXY.
 * A build is serialised by an exclusive lock file, so two jest workers asking for the same
 * program build it once.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../kafka/src/paths';
import { GO_TOOLS, type GoTool, type GoToolName } from './tools';

export class GoToolBuildError extends Error {
  constructor(readonly tool: string, readonly output: string) {
    super(`building ${tool} with the Go toolchain failed:\n${output.slice(-4000)}`);
  }
}

export function goToolDir(tool: GoTool): string {
  return join(cacheRoot(), 'go', `${tool.name}-${tool.version}`);
}

/** The cached binary's path (built first if missing). */
export function ensureGoTool(name: GoToolName, onProgress: (line: string) => void = () => undefined): string {
  const tool: GoTool = GO_TOOLS[name];
  const dir = goToolDir(tool);
  const binary = join(dir, 'bin', tool.binary ?? tool.name);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, '.lock'), () => {
    if (existsSync(binary)) return binary; // another process built it while we waited
    onProgress(`building ${tool.name} ${tool.version} from the Go module proxy (once; cached in ${dir})`);
    const t0 = Date.now();
    build(tool, dir);
    if (!existsSync(binary)) throw new GoToolBuildError(tool.name, `the build finished but ${binary} is missing`);
    onProgress(`built ${tool.name} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return binary;
  });
}

function build(tool: GoTool, dir: string): void {
  const env = { ...process.env, GOBIN: join(dir, 'bin'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
  const ldflags = `-ldflags=-s -w${tool.ldflags ? ` ${tool.ldflags}` : ''}`;
  if (!tool.wrapper) {
    run(tool.name, ['install', ldflags, `${tool.pkg}@${tool.version}`], dir, env);
    return;
  }
  // Modules with replace directives (k8s.io/kubernetes) cannot be `go install`ed by version:
  // a throwaway module requires them and restates their replaces, then builds the package.
  const src = join(dir, 'wrapper');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'go.mod'), tool.wrapper);
  writeFileSync(join(src, 'tools.go'), `//go:build tools\npackage tools\nimport _ "${tool.pkg}"\n`);
  run(tool.name, ['mod', 'tidy'], src, env);
  run(tool.name, ['install', ldflags, tool.pkg], src, env);
}

function run(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const res = spawnSync('go', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new GoToolBuildError(name, `go ${args.join(' ')}: ${res.error.message} (is Go installed?)`);
  if (res.status !== 0) throw new GoToolBuildError(name, `go ${args.join(' ')}\n${res.stdout}${res.stderr}`);
}

/** An O_EXCL lock file; a lock older than an hour is a crashed build's and is taken over. */
function withLock<T>(path: string, body: () => T): T {
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch {
      if (Date.now() - statSync(path, { throwIfNoEntry: false })!.mtimeMs > 3_600_000) rmSync(path, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
  try {
    return body();
  } finally {
    rmSync(path, { force: true });
  }
}
