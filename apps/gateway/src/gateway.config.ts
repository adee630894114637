import { cryptoConfigSchema } from '@weaver/crypto';
import { port, z } from '@weaver/config';
import { kafkaConfigFields, kafkaConfigRules } from '@weaver/messaging';
import { auditRecorderMode, policyCacheTtlMs } from '@weaver/policy';
import { capabilityVerifyKeys } from '@weaver/publisher-core';
import { DEFAULT_PORTS, quotaCacheTtlMs, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';

const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port');

/** The gateway's environment, validated once at start (documented in .env.example). */
export const gatewayConfigSchema = serviceConfigSchema.extend({
  HTTP_PORT: port(DEFAULT_PORTS.gateway.http),
  GRPC_PORT: port(DEFAULT_PORTS.gateway.grpc),
  // KAFKA_BROKERS, TLS and SASL: shared by every service that connects (docs/security.md, Kafka security).
  ...kafkaConfigFields,
  /** Prefix of every topic and group, so installations can share a cluster (empty: none). */
  KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
  /** Partitions of the topics the gateway creates for an isolated-tier tenant at its creation. */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(6),
  ...databaseConfigFields,
  /** Per-tenant envelope encryption (on by default; a local keyring file in development). */
  ...cryptoConfigSchema.shape,
  TENANCY_URL: hostPort,
  REGISTRY_URL: hostPort,
  /** The router: the admin API's PII policy routes (GetPiiPolicy / SetPiiPolicy). */
  ROUTER_URL: hostPort,
  /** Operator token for tenant creation and DLQ replay; unset disables those routes. */
  GATEWAY_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Public JWK Set of the publisher's capability-token keys: GET /v1/runs/:id/result accepts tokens (unset: API keys only). */
  CAPABILITY_VERIFY_KEYS: capabilityVerifyKeys.optional(),
  /** How long this gateway uses a tenant's quotas before asking tenancy again (admin changes reach other replicas within it). */
  QUOTA_CACHE_TTL_MS: quotaCacheTtlMs,
  /** How long this gateway enforces a tenant's policy set before asking tenancy whether it changed (docs/policies.md). */
  POLICY_CACHE_TTL_MS: policyCacheTtlMs,
  /** Where policy decisions are recorded: `kafka` (the audit trail) or `log` (a service tested alone). */
  AUDIT_RECORDER: auditRecorderMode,
  /** Gateway replicas behind the balancer: each admits 1/N of a tenant's runs per second. */
  GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(1_000).default(1),
  /** Failed API-key / admin-token attempts per source (and key prefix) within AUTH_FAILURE_WINDOW_MS before 429. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How long a source stays blocked after reaching the limit. */
  AUTH_BLOCK_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  /** How long a resolved API key is trusted by this gateway. */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** How long POST /v1/runs and StartRun wait for Kafka to take a run's trigger before answering UNAVAILABLE. */
  TRIGGER_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** How often the relay looks for unsent triggers, and how long a failed one waits before it is re-sent. */
  TRIGGER_RESEND_INTERVAL_MS: z.coerce.number().int().min(100).max(300_000).default(5_000),
}).superRefine(kafkaConfigRules);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
