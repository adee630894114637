import { DeadlineExceededError, UnavailableError } from '@weaver/errors';

/** A call to a server's tool took longer than its timeout (retriable: the step retries). */
export class ToolTimeoutError extends DeadlineExceededError {
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`tool "${tool}" did not answer within its timeout of ${timeoutMs} ms`, { details: { tool, timeoutMs } });
  }
}

/** The server could not be reached or its connection dropped (retriable). */
export class ToolServerUnavailableError extends UnavailableError {
  constructor(
    readonly server: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`MCP server "${server}" is unavailable: ${reason}`, { details: { server }, cause });
  }
}
