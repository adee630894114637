/**
 * A long-running test process (etcd, kube-apiserver) with its output in a log file, so a
 * failed start can say why, and a stop that waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface TestProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** The last lines of its log (for error messages). */
  tail(lines?: number): string;
  exited(): boolean;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test run that dies without calling stop() must not leave an API server on its port.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export function startProcess(name: string, binary: string, args: readonly string[], logFile: string): TestProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail = (lines = 30): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    tail,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Polls `probe` until it is true; fails early when the process exits, naming its log. */
export async function waitUntilUp(proc: TestProcess, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (proc.exited()) throw new Error(`${proc.name} exited during start; its log (${proc.logFile}) ends:\n${proc.tail()}`);
    if (Date.now() > until) {
      await proc.stop();
      throw new Error(`${proc.name} was not up after ${timeoutMs} ms; its log (${proc.logFile}) ends:\n${proc.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A port from the environment (each helper/CI run sets its own) or the default. */
export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}
