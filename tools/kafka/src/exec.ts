import { spawn } from 'node:child_process';

import { INSTALL_HINT, KafkaToolError } from './errors';

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs a command to completion, capturing stdout+stderr together (Maven and
 * `java -version` both print to either). A missing executable becomes a
 * MISSING_COMMAND error that says how to install it, instead of a bare ENOENT.
 */
export function run(command: string, args: readonly string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new KafkaToolError(
            'MISSING_COMMAND',
            `\`${command}\` was not found on PATH; the local Kafka broker needs it. Install with: ${INSTALL_HINT}`,
          ),
        );
      } else {
        reject(error);
      }
    });
    child.on('close', (code) => {
      resolvePromise({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** Last `lines` lines of a text, for error messages that must stay readable. */
export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
