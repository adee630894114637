import { invalid } from '../router-errors';
import type { CallerContext } from '../routing/route-request';

/** The caller's key, already resolved by tenancy: whose call it is. */
export interface OpenAiKey {
  tenantId: string;
  keyId: string;
}

type Headers = Record<string, string | string[] | undefined>;

/** Where an OpenAI-compatible call's attribution comes from when the client says nothing. */
export const OPENAI_DEFAULT_WORKFLOW = 'openai';
/** The ledger's agent of a call without `x-weaver-agent`: the key that made it. */
export const defaultAgentOf = (keyId: string): string => `key-${keyId}`;
/** Prefix of the router's idempotency key for an `Idempotency-Key` header: never equal to an agent step's key. */
export const OPENAI_IDEMPOTENCY_PREFIX = 'openai:';

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

function named(headers: Headers, name: string): string | undefined {
  const v = header(headers, name);
  if (v !== undefined && !NAME.test(v)) throw invalid(name, 'must be 1-128 letters, digits, ., _, : or -');
  return v;
}

/**
 * Who an OpenAI-compatible call is for, from the resolved key and optional headers:
 * `x-weaver-workflow` (default `openai`), `x-weaver-agent` (default `key-<key id>`),
 * `x-weaver-run-id` and `x-weaver-step` (default empty), `x-weaver-classification` (comma
 * separated levels/labels, default none), `Idempotency-Key` (default none: every call billed).
 */
export function openAiCallerOf(key: OpenAiKey, headers: Headers): CallerContext {
  const idem = header(headers, 'idempotency-key');
  if (idem !== undefined && idem.length > 200) throw invalid('Idempotency-Key', 'must be at most 200 characters');
  const classification = header(headers, 'x-weaver-classification');
  return {
    tenantId: key.tenantId,
    workflow: named(headers, 'x-weaver-workflow') ?? OPENAI_DEFAULT_WORKFLOW,
    agent: named(headers, 'x-weaver-agent') ?? defaultAgentOf(key.keyId),
    runId: named(headers, 'x-weaver-run-id') ?? '',
    step: named(headers, 'x-weaver-step') ?? '',
    idempotencyKey: idem === undefined ? undefined : OPENAI_IDEMPOTENCY_PREFIX + idem,
    classification: classification ? classification.split(',').map((c) => c.trim()).filter(Boolean) : [],
  };
}
