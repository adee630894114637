import { WeaverError, type ErrorCode } from '@weaver/errors';

/** Exit codes of `weaver` (documented in docs/getting-started.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error the CLI shows a person: one sentence saying what went wrong, and a hint saying
 * what to do about it. `exitCode` is 2 for usage errors (bad flags, input or configuration),
 * 1 for everything else.
 */
export class CliError extends WeaverError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly exitCode: ExitCode = code === 'INVALID_ARGUMENT' || code === 'CONFIG_INVALID' ? EXIT.usage : EXIT.failed,
    cause?: unknown,
  ) {
    super(code, message, { cause });
  }
}

/** A bad flag, argument or configuration value: names the field and the rule it broke. */
export function usageError(field: string, rule: string, hint?: string): CliError {
  return new CliError('INVALID_ARGUMENT', `${field}: ${rule}`, hint, EXIT.usage);
}
