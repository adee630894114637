import { DeadlineExceededError, PermissionDeniedError, UnavailableError } from '@weaver/errors';

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

/** The step's data is classified above what the tool's server may receive (its `maxClassification`). */
export class ToolClassificationError extends PermissionDeniedError {
  constructor(
    readonly tool: string,
    readonly ceiling: string,
    readonly level: string,
  ) {
    super(`tool "${tool}" may receive data up to "${ceiling}"; this step is "${level}" (raise the server's maxClassification in mcpServers to allow it)`, { tool, ceiling, level });
  }
}
