import { cryptoConfigSchema } from '@weaver/crypto';
import { port, z } from '@weaver/config';
import { kafkaConfigFields, kafkaConfigRules } from '@weaver/messaging';
import { auditRecorderMode, policyCacheTtlMs } from '@weaver/policy';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields, tenantQuotaConfigFields } from '@weaver/service-kit';
import { apiKeyEdgeConfigFields } from '@weaver/tenancy-core';
import { routerPiiPolicy } from './pii-policy.config';

/** The router service's environment, validated once at start (documented in .env.example). */
export const routerConfigSchema = serviceConfigSchema.extend({
  HTTP_PORT: port(DEFAULT_PORTS.router.http),
  GRPC_PORT: port(DEFAULT_PORTS.router.grpc),
  /** The model catalogue; reloaded on change without a restart. */
  ROUTER_MODELS_FILE: z.string().min(1).default('config/models.yaml'),
  ...databaseConfigFields,
  /** Per-tenant envelope encryption (on by default; a local keyring file in development). */
  ...cryptoConfigSchema.shape,
  /** Redis for the response cache, shared by replicas; unset → in-process cache. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** How long an unfinished idempotency claim (a call that crashed) blocks a replay of its step. */
  ROUTER_IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** Tenancy (GetQuotas: tokens_per_day, budget_usd) and how long its answers are cached. */
  ...tenantQuotaConfigFields,
  /** How long a tenant's policy set (model.call decisions) is used before asking tenancy whether it changed. */
  POLICY_CACHE_TTL_MS: policyCacheTtlMs,
  /** Where policy decisions are recorded: `kafka` (the audit trail) or `log` (a service tested alone). */
  AUDIT_RECORDER: auditRecorderMode,
  /** PII policy of tenants without their own (router.pii_policies), as JSON: `{"default":"mask","email":"tokenise"}`. */
  ROUTER_PII_POLICY: routerPiiPolicy,
  /** How long a router replica applies a tenant's PII policy before reading it again (a change reaches other replicas within it). */
  ROUTER_PII_POLICY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /**
   * The OpenAI-compatible API on HTTP_PORT (/v1/chat/completions, /v1/embeddings, /v1/models),
   * authenticated by tenants' API keys resolved through tenancy (TENANCY_URL); `off`: 404.
   */
  ROUTER_OPENAI_API: z.enum(['on', 'off']).default('on'),
  /** Key resolution cache and bad-key throttling of that API (as the gateway's). */
  ...apiKeyEdgeConfigFields,
  // Kafka: the router writes only its decisions' audit events (weaver.audit.v1), with AUDIT_RECORDER=kafka.
  ...kafkaConfigFields,
  KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
}).superRefine(kafkaConfigRules);

export type RouterConfig = z.infer<typeof routerConfigSchema>;
