import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface ServiceSpec {
  /** Names the log file (and, without `app`, the app). */
  name: string;
  /** The app under apps/ to run, when `name` is a replica's name (e.g. agent-runner-2). */
  app?: string;
  httpPort: number;
  grpcPort: number;
  env: Record<string, string>;
  /**
   * Node's arguments and working directory instead of the TypeScript sources, e.g. a compiled
   * production tree: `{ args: ['tools/image/src/entrypoint.js', 'registry'], cwd: tree }`.
   */
  command?: { args: string[]; cwd: string };
}

/**
 * One Weaver service as a child process (`node -r @swc-node/register apps/<svc>/src/main.ts`),
 * its output appended to `<logDir>/<name>.log` and optionally echoed with a `[name]` prefix.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly spec: ServiceSpec,
    logDir: string,
    private readonly echo?: (line: string) => void,
  ) {
    this.log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.spec.httpPort}`;
  }
  get grpcUrl(): string {
    return `127.0.0.1:${this.spec.grpcPort}`;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const args = this.spec.command?.args ?? ['-r', '@swc-node/register', join('apps', this.spec.app ?? this.spec.name, 'src', 'main.ts')];
    const child = spawn(process.execPath, args, {
      cwd: this.spec.command?.cwd ?? REPO_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'), HTTP_PORT: String(this.spec.httpPort), GRPC_PORT: String(this.spec.grpcPort), ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const forward = (chunk: Buffer): void => {
      this.log.write(chunk);
      if (this.echo) for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.echo(line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Polls /health/ready until 200; fails early (with the log's tail) if the process exits. */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.spec.name} exited during start (code ${this.child?.exitCode}); see its log`);
      try {
        const res = await fetch(`${this.httpUrl}/health/ready`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.spec.name} was not ready within ${timeoutMs} ms`);
  }

  /** SIGKILL: no shutdown hooks, nothing committed — a crash. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGSTOP: the process freezes (no heartbeats, no commits) until `resume`, like a long GC pause. */
  pause(): void {
    if (this.running) this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause`: the process carries on from where it froze, unaware of the time lost. */
  resume(): void {
    if (this.running) this.child?.kill('SIGCONT');
  }

  /** SIGTERM and wait for the graceful shutdown; returns the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  close(): void {
    this.log.end();
  }
}
