/**
 * One error type with a machine-readable code, so the CLI can pick an exit
 * code and callers (jest globalSetup, benchmarks) can branch without parsing
 * messages.
 */
export type KafkaToolErrorCode =
  | 'MISSING_COMMAND'
  | 'JAVA_TOO_OLD'
  | 'FETCH_FAILED'
  | 'PORT_IN_USE'
  | 'ALREADY_RUNNING'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'STOP_FAILED'
  | 'BAD_ARGUMENT';

export class KafkaToolError extends Error {
  override readonly name = 'KafkaToolError';

  constructor(
    readonly code: KafkaToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The one install line that fixes a missing java/mvn on the project's Debian machines. */
export const INSTALL_HINT = 'apt-get update && apt-get install -y openjdk-17-jre-headless maven';
