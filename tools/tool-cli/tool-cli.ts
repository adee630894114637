/**
 * What the local tools' CLIs (kafka, postgres, s3proxy) share: help/usage handling, port
 * arguments, and one mapping from errors to exit codes (0 ok, 1 failed, 2 bad usage).
 */
export interface ToolError {
  code: string;
  message: string;
}

export const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The single command, or the exit code after printing usage (0 for --help, 2 for bad usage). */
export function commandOf(positionals: string[], help: boolean | undefined, usage: string): string | number {
  const [command, ...extra] = positionals;
  if (!help && command !== undefined && extra.length === 0) return command;
  (help ? say : (line: string) => process.stderr.write(`${line}\n`))(usage);
  return help ? 0 : 2;
}

/** A port from a flag, or `fallback`; `fail` builds the tool's BAD_ARGUMENT error. */
export function portArgument(raw: string | undefined, fallback: number, flag: string, fail: (message: string) => Error): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw fail(`${flag} must be a port number (1-65535), got "${raw}"`);
  return port;
}

export function unknownCommand(command: string, usage: string): number {
  process.stderr.write(`unknown command "${command}"\n${usage}\n`);
  return 2;
}

/** Runs a tool CLI's main and turns its outcome into the process exit code, for a person. */
export function runToolCli(name: string, usage: string, main: () => Promise<number>, isToolError: (error: unknown) => error is ToolError): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (isToolError(error)) {
        process.stderr.write(`${name}: error (${error.code}): ${error.message}\n`);
        process.exitCode = error.code === 'BAD_ARGUMENT' ? 2 : 1;
      } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`${name}: ${error.message}\n${usage}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
