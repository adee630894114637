import Anthropic from '@anthropic-ai/sdk';
import { kindOfStatus, parseRetryAfter, ProviderError, type ProviderErrorKind } from '../provider-error';

/** An Anthropic SDK error as a ProviderError; 529 `overloaded_error` counts as unavailable. */
export function fromAnthropicError(err: unknown, signal?: AbortSignal): ProviderError {
  const provider = 'anthropic';
  if (err instanceof ProviderError) return err;
  if (err instanceof Anthropic.APIConnectionTimeoutError) return new ProviderError('timeout', provider, 'request timed out', undefined, undefined, err);
  if (err instanceof Anthropic.APIUserAbortError || signal?.aborted) {
    return new ProviderError('timeout', provider, 'request aborted (deadline)', undefined, undefined, err);
  }
  if (err instanceof Anthropic.APIConnectionError) return new ProviderError('unavailable', provider, `connection failed: ${err.message}`, undefined, undefined, err);
  if (err instanceof Anthropic.APIError) {
    const type = (err.error as { error?: { type?: string } } | undefined)?.error?.type;
    let kind: ProviderErrorKind = kindOfStatus(err.status);
    if (type === 'rate_limit_error') kind = 'rate-limit';
    else if (type === 'overloaded_error' || type === 'api_error') kind = 'unavailable';
    else if (kind === 'bad-request' && /prompt is too long|context window|too many tokens/i.test(err.message)) kind = 'context-overflow';
    return new ProviderError(kind, provider, err.message, err.status, parseRetryAfter(err.headers), err);
  }
  // Errors sent inside an SSE stream (`event: error`) surface as plain errors carrying the body.
  const message = err instanceof Error ? err.message : String(err);
  const kind: ProviderErrorKind = /overloaded|api_error/.test(message) ? 'unavailable' : /rate_limit/.test(message) ? 'rate-limit' : 'unavailable';
  return new ProviderError(kind, provider, message, undefined, undefined, err);
}
