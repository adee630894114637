import { CommanderError } from 'commander';
import { ConfigError, WeaverError } from '@weaver/errors';
import { CliError, EXIT, type ExitCode } from './cli-error';
import type { CliIo } from './cli-io';
import { resolveOutput } from './config/cli-config';
import { createStyle } from './output/style';

/**
 * Shows an error the way the CLI promises: one sentence and a hint on stderr, or
 * `{"error": {code, message, hint}}` on stdout under --json; returns the exit code (2 usage,
 * 130 interrupted, else 1). Commander has already printed its own usage errors.
 */
export function reportError(err: unknown, io: CliIo, flags: { json: boolean; color?: boolean }): ExitCode {
  const writeJson = (code: string, message: string, hint: string | null) => void io.stdout.write(`${JSON.stringify({ error: { code, message, hint } })}\n`);
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return EXIT.ok; // --help and --version end this way
    if (flags.json) writeJson('INVALID_ARGUMENT', err.message.replace(/^error: /, ''), 'weaver --help');
    return EXIT.usage;
  }
  if (io.signal?.aborted) return EXIT.interrupted;
  const error = asCliError(err);
  if (flags.json) {
    writeJson(error.code, error.message, error.hint ?? null);
  } else {
    const s = createStyle(errorColour(io, flags));
    io.stderr.write(`${s.red('error:')} ${error.message}\n${error.hint ? `${s.dim('hint:')} ${error.hint}\n` : ''}`);
  }
  return error.exitCode;
}

function asCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ConfigError) return new CliError('CONFIG_INVALID', err.message, 'fix or unset the variable', EXIT.usage, err);
  if (err instanceof WeaverError) return new CliError(err.code, err.message, undefined, EXIT.failed, err);
  const message = err instanceof Error ? err.message : String(err);
  return new CliError('INTERNAL', `unexpected error: ${message}`, 'this is a bug in weaver; please report it with the command you ran', EXIT.failed, err);
}

function errorColour(io: CliIo, flags: { color?: boolean }): boolean {
  try {
    return resolveOutput({ color: flags.color }, io.env, { stdout: false, stderr: io.stderr.isTTY === true }).errColor;
  } catch {
    return false; // the environment itself is what failed to validate
  }
}
