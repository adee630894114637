import OpenAI from 'openai';
import { kindOfStatus, parseRetryAfter, ProviderError, type ProviderErrorKind } from '../provider-error';

// vLLM, llama.cpp and OpenAI phrase context overflows differently; the code field is OpenAI's.
const contextOverflow = /context[_ ]length|maximum context|context window|exceed_context_size|too many tokens|prompt is too long/i;

/** An OpenAI SDK error (or anything else thrown during a call) as a ProviderError. */
export function fromOpenAIError(provider: string, err: unknown, signal?: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError('timeout', provider, 'request timed out', undefined, undefined, err);
  if (err instanceof OpenAI.APIUserAbortError || signal?.aborted) {
    return new ProviderError('timeout', provider, 'request aborted (deadline)', undefined, undefined, err);
  }
  if (err instanceof OpenAI.APIConnectionError) return new ProviderError('unavailable', provider, `connection failed: ${err.message}`, undefined, undefined, err);
  if (err instanceof OpenAI.APIError) {
    const body = (err.error ?? {}) as { code?: unknown; type?: unknown; message?: unknown };
    const text = `${String(body.code ?? '')} ${String(body.type ?? '')} ${err.message}`;
    let kind: ProviderErrorKind = kindOfStatus(err.status);
    if (kind === 'bad-request' && contextOverflow.test(text)) kind = 'context-overflow';
    return new ProviderError(kind, provider, err.message, err.status, parseRetryAfter(err.headers), err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('unavailable', provider, message, undefined, undefined, err);
}
