/**
 * One error type with a machine-readable code for the S3Proxy tool, so the CLI can pick an exit
 * code and the jest global setup can branch. No `@weaver/*` imports: jest loads global setup
 * through Node's own require, where tsconfig path aliases do not resolve.
 */
export type S3ProxyToolErrorCode = 'BAD_ARGUMENT' | 'MISSING_COMMAND' | 'FETCH_FAILED' | 'PORT_IN_USE' | 'ALREADY_RUNNING' | 'START_FAILED' | 'START_TIMEOUT' | 'STOP_FAILED';

export class S3ProxyToolError extends Error {
  override readonly name = 'S3ProxyToolError';

  constructor(
    readonly code: S3ProxyToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const INSTALL_HINT = 'apt-get update && apt-get install -y openjdk-17-jre-headless maven';
