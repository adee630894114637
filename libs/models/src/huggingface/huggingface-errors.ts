import { InferenceClientProviderApiError } from '@huggingface/inference';
import { kindOfStatus, ProviderError, type ProviderErrorKind } from '../provider-error';

/**
 * A Hugging Face client error as a ProviderError. TGI reports failures as
 * `{"error": "...", "error_type": "validation" | "overloaded" | "generation" ...}`; a validation
 * error about `max_new_tokens`/input length is a context overflow.
 */
export function fromHuggingFaceError(err: unknown, retryAfterMs: number | undefined, signal?: AbortSignal): ProviderError {
  const provider = 'huggingface';
  if (err instanceof ProviderError) return err;
  if (signal?.aborted || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'))) {
    return new ProviderError('timeout', provider, 'request aborted (deadline)', undefined, undefined, err);
  }
  if (err instanceof InferenceClientProviderApiError) {
    const status = err.httpResponse.status;
    const body = err.httpResponse.body as { error?: unknown; error_type?: unknown } | string | undefined;
    const detail = typeof body === 'object' && body ? `${String(body.error_type ?? '')}: ${String(body.error ?? '')}` : String(body ?? '');
    let kind: ProviderErrorKind = kindOfStatus(status);
    if (/must be <=|input validation error.*tokens|context length|too long/i.test(detail)) kind = 'context-overflow';
    else if (/overloaded/i.test(detail)) kind = status === 429 ? 'rate-limit' : 'unavailable';
    return new ProviderError(kind, provider, detail || err.message, status, retryAfterMs, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('unavailable', provider, message, undefined, undefined, err);
}
