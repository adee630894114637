import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The real launcher, as a user runs it. */
export const WEAVER_BIN = join(__dirname, '..', '..', '..', 'bin', 'weaver');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin/weaver` as a child process (not a TTY) with only the given environment. */
export function runWeaver(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return startWeaver(args, options).result;
}

/** Like runWeaver, with the child process at hand (e.g. to send it SIGINT). */
export function startWeaver(args: string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; result: Promise<CliResult> } {
  let child!: ChildProcess;
  const result = new Promise<CliResult>((resolve) => {
    child = execFile(
      WEAVER_BIN,
      args,
      { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
  return { child, result };
}
