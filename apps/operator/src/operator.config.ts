import { csv, port, z } from '@weaver/config';

const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port');

/** The operator's environment, validated once at start (docs/operator.md). */
export const operatorConfigSchema = z.object({
  /** Unset or empty: watch AgentPools in every namespace (needs the ClusterRole); else only this one. */
  WATCH_NAMESPACE: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'must be a namespace name').default(''),
  /** The brokers as KEDA's pods reach them (the ScaledObjects' bootstrapServers). */
  KAFKA_BROKERS: csv('').pipe(z.array(hostPort).min(1, 'must name at least one broker')),
  /** The installation's KAFKA_NAMESPACE (weaver-config): consumer groups are named under it. */
  KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
  /** A KEDA TriggerAuthentication in each pool's namespace, for a broker with TLS/SASL. */
  KEDA_TRIGGER_AUTHENTICATION: z.string().min(1).optional(),
  KEDA_POLLING_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** How long a pool stays up after its lag reaches 0 before KEDA scales it to zero (when min is 0). */
  KEDA_COOLDOWN_PERIOD_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  RECONCILE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  RESYNC_INTERVAL_MS: z.coerce.number().int().min(1_000).default(300_000),
  RETRY_BASE_MS: z.coerce.number().int().min(10).default(500),
  RETRY_MAX_MS: z.coerce.number().int().min(100).default(60_000),
  /** /metrics and /health/{live,ready}. */
  HTTP_PORT: port(8086),
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type OperatorConfig = z.infer<typeof operatorConfigSchema>;
