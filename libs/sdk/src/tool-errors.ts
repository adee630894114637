import { FailedPreconditionError, PermissionDeniedError, ResourceExhaustedError } from '@weaver/errors';

/** Deny by default: the agent called a tool nobody granted it (not retriable: the grant is missing, not late). */
export class ToolDeniedError extends PermissionDeniedError {
  /**
   * The error of a call to a tool not granted.
   * @param tool the tool called (`<server>/<tool>`)
   * @param agent the agent that called it
   */
  constructor(
    /** The tool called (`<server>/<tool>`). */
    readonly tool: string,
    /** The agent that called it. */
    readonly agent: string,
  ) {
    super(`tool "${tool}" is not granted to agent "${agent}": grant it in @agent({ tools: [...] }) or with the admin tool-grants API`, { tool, agent });
  }
}

/** The tool ran and answered with an error (MCP `isError`); its text is the message. Not retriable: the same call fails the same way. */
export class ToolFailedError extends FailedPreconditionError {
  /**
   * The error of a tool that answered isError.
   * @param tool the tool called (`<server>/<tool>`)
   * @param agent the agent that called it
   * @param text the tool's error text
   */
  constructor(
    /** The tool called (`<server>/<tool>`). */
    readonly tool: string,
    /** The agent that called it. */
    readonly agent: string,
    /** The tool's error text. */
    readonly text: string,
  ) {
    super(`tool "${tool}" (agent "${agent}") failed: ${text.slice(0, 500)}`, { tool, agent });
  }
}

/** The tool-use loop reached its bound of model turns and the model still asked for tools. */
export class ToolLoopBoundError extends ResourceExhaustedError {
  /**
   * The error of a loop that hit its bound.
   * @param maxRounds the bound that was reached
   */
  constructor(
    /** The bound on model turns that was reached. */
    readonly maxRounds: number,
  ) {
    super(`tool-use loop exceeded maxRounds = ${maxRounds}: the model still proposed tool calls after ${maxRounds} turns`, { maxRounds });
  }
}
