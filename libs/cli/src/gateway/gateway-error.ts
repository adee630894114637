import { ValidationError, type ErrorCode } from '@weaver/errors';
import type { GatewayError } from '@weaver/sdk';
import { CliError, EXIT } from '../cli-error';

/** What the CLI knows when it turns a failure into advice. */
export interface RequestContext {
  readonly url: string;
  readonly method: string;
  readonly path: string;
  readonly apiKeySource: string | undefined;
}

export const NO_KEY_HINT = 'run `weaver dev` (it writes .weaver/credentials.json), or set WEAVER_API_KEY, or pass --api-key';

/** The gateway could not be reached at all (refused, unknown host, reset, timed out). */
export function unreachable(ctx: RequestContext, cause: unknown): CliError {
  const detail = networkCode(cause);
  return new CliError(
    'UNAVAILABLE',
    `cannot reach the gateway at ${ctx.url}${detail ? ` (${detail})` : ''}`,
    'is `weaver dev` running? Otherwise point --url or WEAVER_URL at your gateway',
    EXIT.failed,
    cause,
  );
}

/** An error answer (status >= 400, as the SDK's client typed it) as one sentence and what to do about it. */
export function fromGatewayError(err: GatewayError | ValidationError, ctx: RequestContext): CliError {
  const status = err instanceof ValidationError ? 400 : err.status;
  const serverMessage = err instanceof ValidationError ? undefined : err.serverMessage;
  const violations = err instanceof ValidationError ? err.violations : [];
  const code: ErrorCode = err.code; // the SDK derived it from the status when the body was not the gateway's JSON
  const where = `${ctx.method} ${ctx.path}`;
  switch (code) {
    case 'UNAUTHENTICATED':
      return ctx.apiKeySource
        ? new CliError(code, `the API key (from ${ctx.apiKeySource}) was refused by ${ctx.url}`, 'set WEAVER_API_KEY or pass --api-key with a key of this gateway\'s tenant')
        : new CliError(code, `the gateway at ${ctx.url} wants an API key and none is set`, NO_KEY_HINT);
    case 'INVALID_ARGUMENT': {
      const list = violations.length ? violations.map((v) => `${v.field}: ${v.rule}`).join('; ') : (serverMessage ?? 'invalid request');
      return new CliError(code, `the gateway refused the request: ${list}`, undefined, EXIT.failed);
    }
    case 'NOT_FOUND':
      return new CliError(code, serverMessage ?? `${where}: not found`, 'check the name or id (runs of other tenants are not visible); `weaver runs` lists recent runs');
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED':
      return new CliError(code, `the gateway is not ready (${status}${serverMessage ? `: ${serverMessage}` : ''})`, 'the stack may still be starting; wait for `weaver dev` to say it is ready, then retry');
    default:
      return new CliError(code, `${where} failed with ${status}${serverMessage ? `: ${serverMessage}` : ''}`, status >= 500 ? 'see the gateway log in the `weaver dev` output' : undefined);
  }
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    if (e instanceof Error && e.name === 'TimeoutError') return 'timed out';
  }
  return undefined;
}
