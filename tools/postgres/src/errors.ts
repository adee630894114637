/**
 * One error type with a machine-readable code, so the CLI can pick an exit code and callers
 * (jest globalSetup, dev scripts) can branch without parsing messages. Kept free of
 * `@weaver/*` imports on purpose: jest loads globalSetup through Node's own require, where the
 * tsconfig path aliases do not apply.
 */
export type PostgresToolErrorCode =
  | 'BAD_ARGUMENT'
  | 'BINARIES_MISSING'
  | 'NOT_A_DATA_DIR'
  | 'DATA_DIR_UNREACHABLE'
  | 'OS_USER_FAILED'
  | 'INITDB_FAILED'
  | 'PORT_IN_USE'
  | 'ALREADY_RUNNING'
  | 'START_FAILED'
  | 'AUTH_FAILED'
  | 'STOP_FAILED';

export class PostgresToolError extends Error {
  override readonly name = 'PostgresToolError';

  constructor(
    readonly code: PostgresToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
