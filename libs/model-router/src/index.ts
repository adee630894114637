/**
 * @weaver/model-router — the model gateway behind the router service.
 *
 * `new ModelRouter({ file, env, dataSource, metrics, logger, cache })` routes each call to a
 * capable model (capabilities, data classification, context size) by policy (cheapest,
 * lowest-latency, least-busy, weighted), with tenant/workflow overrides, sticky A/B arms,
 * fallback chains, retries and a breaker per provider endpoint; it caches exact repeats,
 * reserves budget before a call and settles after, bills each idempotency key once, and writes
 * the usage ledger (PostgreSQL schema `router`, migrations in ROUTER_MIGRATIONS).
 * models.yaml is read with `loadModelsFile` (errors name file, line and field) and hot-reloaded
 * by `CatalogWatcher`. Before any of that, `PiiGuard` applies the tenant's PII policy
 * (router.pii_policies, else ROUTER_PII_POLICY) to the call's text and puts its tokens back in
 * the answer. `openai/`: the OpenAI-compatible API's requests, answers and errors (the router
 * service serves it over HTTP with tenants' keys).
 */
export * from './catalog/models-file.schema';
export * from './catalog/models-file.loader';
export * from './catalog/model-catalog';
export * from './catalog/catalog-watcher';
export * from './routing/route-request';
export * from './routing/experiment-assignment';
export * from './routing/routing-policy';
export * from './routing/route-planner';
export * from './routing/endpoint-stats';
export * from './cache/response-cache';
export * from './cache/memory-response-cache';
export * from './cache/redis-response-cache';
export * from './ledger/router-migrations';
export type { BudgetStatus } from './ledger/budget-store';
export type { ModelCallRow, UsageFilter, UsageRow } from './ledger/usage-ledger';
export { MODEL_CALLS_DEFAULT, MODEL_CALLS_MAX } from './ledger/usage-ledger';
export * from './router-errors';
export * from './routed-result';
export * from './stream-session';
export { EmbedBatcher, shareTokens, type EmbedBatchingOptions } from './execution/embed-batcher';
export { ModelRouter, type ModelRouterOptions, type EmbedOutcome, type RouterQuota, type RouterQuotaSource, type RouterPiiOptions } from './model-router';
export type { TenantPiiPolicy } from './pii/pii-policies';
export { PiiGuard, type PiiGuardOptions } from './pii/pii-guard';
export { RouterMetrics } from './router-metrics';
export { StreamRestorer } from './pii/stream-restorer';
export { RewriteMemo } from './pii/rewrite-memo';
export { IDEMPOTENCY_RESPONSE_PURPOSE } from './billing';
export * from './usage-metrics';
export { AUTO_MODEL, chatCallOf, embedCallOf, openAiParamOf } from './openai/openai-request';
export { openAiCallerOf, OPENAI_DEFAULT_WORKFLOW, OPENAI_IDEMPOTENCY_PREFIX, defaultAgentOf, type OpenAiKey } from './openai/openai-caller';
export { ChatChunks, chatCompletionOf, completionIdOf, embeddingListOf, modelListOf } from './openai/openai-response';
export { openAiErrorOf, type OpenAiErrorReply } from './openai/openai-error';
