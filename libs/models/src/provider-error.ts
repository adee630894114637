import { WeaverError, type ErrorCode } from '@weaver/errors';

/**
 * Why a provider call failed, in the terms the router decides on:
 * - rate-limit: 429 (honour `retryAfterMs`), fall back or retry later
 * - timeout: no answer in time
 * - context-overflow: the prompt does not fit this model; a larger model may take it
 * - unavailable: 5xx, overloaded, connection refused — count against the endpoint's breaker
 * - bad-request: the request itself is wrong; no other model will do better
 * - auth: credentials rejected
 * - unsupported: the adapter cannot do this (e.g. embeddings on a chat-only provider)
 */
export type ProviderErrorKind = 'rate-limit' | 'timeout' | 'context-overflow' | 'unavailable' | 'bad-request' | 'auth' | 'unsupported';

const codeOf: Record<ProviderErrorKind, ErrorCode> = {
  'rate-limit': 'RESOURCE_EXHAUSTED',
  timeout: 'DEADLINE_EXCEEDED',
  'context-overflow': 'INVALID_ARGUMENT',
  unavailable: 'UNAVAILABLE',
  'bad-request': 'INVALID_ARGUMENT',
  auth: 'PERMISSION_DENIED',
  unsupported: 'FAILED_PRECONDITION',
};
const retriableKinds = new Set<ProviderErrorKind>(['rate-limit', 'timeout', 'unavailable']);

export class ProviderError extends WeaverError {
  constructor(
    readonly kind: ProviderErrorKind,
    readonly provider: string,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(codeOf[kind], `${provider}: ${message}`, {
      retriable: retriableKinds.has(kind),
      cause,
      details: { provider, kind, status, retryAfterMs },
    });
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); also `retry-after-ms`. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The kind for an HTTP status when the body says nothing more specific. */
export function kindOfStatus(status: number | undefined): ProviderErrorKind {
  if (status === undefined) return 'unavailable';
  if (status === 429) return 'rate-limit';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'context-overflow';
  if (status >= 500) return 'unavailable';
  return 'bad-request';
}
