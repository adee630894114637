import { execFile } from 'node:child_process';
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
  return new Promise((resolve) => {
    execFile(
      WEAVER_BIN,
      args,
      { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
