import type { FinishReason, TokenUsage } from './model-types';
import { kindOfStatus, ProviderError, type ProviderErrorKind } from './provider-error';

/**
 * The one place where the adapters added for issue 12 (Azure OpenAI, Gemini, Bedrock, Mistral,
 * Cohere, Ollama, TEI) turn a provider's answer into Weaver's terms: token usage, finish
 * reasons and errors. Each adapter only pulls status, message and retry hint out of its SDK's
 * own error type; the decision retriable or not (rate-limit / timeout / unavailable retry and
 * count against the endpoint's breaker; bad-request / context-overflow / auth do not) is here.
 */

/** Provider token counts (absent or null when a provider does not report one) as TokenUsage. */
export function usageOf(input: number | null | undefined, output: number | null | undefined): TokenUsage {
  return { inputTokens: Math.max(0, input ?? 0), outputTokens: Math.max(0, output ?? 0) };
}

/** A provider's finish reason through its table; anything unlisted ended normally. */
export function finishOf(table: Readonly<Record<string, FinishReason>>, reason: string | null | undefined): FinishReason {
  return (reason && table[reason]) || 'stop';
}

// How providers say "the prompt does not fit" (Gemini, Bedrock, Mistral, Cohere, Ollama, TEI).
const CONTEXT_OVERFLOW = /context[_ ]length|maximum context|context window|too many (input )?tokens|token count .* exceeds|input is too long|prompt is too long|too large for model|exceeds the context/i;
// Rate limits reported with a status that is not 429 (Bedrock's ThrottlingException, Gemini's RESOURCE_EXHAUSTED).
const THROTTLED = /throttl|rate[_ ]limit|resource_exhausted|too many requests/i;
const OVERLOADED = /overloaded|server busy|unavailable|not ready/i;
// Credentials refused with a status that is not 401/403 (Gemini: 400 API_KEY_INVALID).
const AUTH = /api_key_invalid|unauthenticated|unrecognizedclient|invalidsignature|expiredtoken/i;

export interface ProviderFailure {
  /** HTTP status, when the provider answered. */
  status?: number;
  message: string;
  /** The provider's own error code or type (`ThrottlingException`, `RESOURCE_EXHAUSTED`, ...). */
  code?: string;
  retryAfterMs?: number;
}

/** A failure the provider reported, classified. */
export function providerError(provider: string, f: ProviderFailure, cause?: unknown): ProviderError {
  const text = `${f.code ?? ''} ${f.message}`;
  let kind: ProviderErrorKind = kindOfStatus(f.status);
  if (AUTH.test(f.code ?? '')) kind = 'auth';
  else if (CONTEXT_OVERFLOW.test(text) && (f.status === undefined || f.status < 500)) kind = 'context-overflow';
  else if (THROTTLED.test(text)) kind = 'rate-limit';
  else if (kind === 'bad-request' && OVERLOADED.test(f.code ?? '')) kind = 'unavailable';
  return new ProviderError(kind, provider, f.message, f.status, f.retryAfterMs, cause);
}

/** Deadline passed or the caller aborted: the router's timeout, whatever the SDK calls it. */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const name = err instanceof Error ? err.name : '';
  return name === 'AbortError' || name === 'TimeoutError' || /RequestAbortedError|RequestTimeoutError|CohereTimeoutError/.test(name);
}

/**
 * Anything else thrown during a call (no HTTP answer: connection refused, reset, a stream cut
 * off) is the endpoint being unavailable; an abort is a timeout.
 */
export function transportError(provider: string, err: unknown, signal?: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isAbort(err, signal)) return new ProviderError('timeout', provider, 'request aborted (deadline)', undefined, undefined, err);
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('unavailable', provider, message, undefined, undefined, err);
}

/** Google's `RetryInfo.retryDelay` ("2s", "1.5s") as milliseconds. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** JSON text of tool arguments as an object, for providers that take arguments as objects (Gemini, Bedrock, Ollama). */
export function argumentsObject(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw: args };
  }
}

/** A per-call fetch that applies the call's deadline, for SDKs that take no per-request signal. */
export function fetchWithSignal(base: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
