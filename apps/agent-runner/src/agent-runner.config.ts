import { parseAgentSelection, type AgentSelection } from '@weaver/agent-runtime';
import { cryptoConfigSchema } from '@weaver/crypto';
import { ValidationError } from '@weaver/errors';
import { bool, csv, port, z } from '@weaver/config';
import { kafkaConfigFields, kafkaConfigRules } from '@weaver/messaging';
import { auditRecorderMode, policyCacheTtlMs } from '@weaver/policy';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';

const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port');

/** The agent-runner's environment, validated once at start (documented in .env.example). */
export const agentRunnerConfigSchema = serviceConfigSchema.extend({
  HTTP_PORT: port(DEFAULT_PORTS['agent-runner'].http),
  GRPC_PORT: port(DEFAULT_PORTS['agent-runner'].grpc),
  // KAFKA_BROKERS, TLS and SASL: shared by every service that connects (docs/security.md, Kafka security).
  ...kafkaConfigFields,
  /** Prefix of every topic and group, so installations can share a cluster (empty: none). */
  KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
  /**
   * Set on an isolated-tier tenant's own deployment: the tenant it serves. Its topics and groups
   * are then that tenant's (`<KAFKA_NAMESPACE>.tenant-<id>.…`) and other tenants' triggers are
   * refused (dead-lettered, no run). Unset: the shared tier.
   */
  WEAVER_ISOLATED_TENANT: z.uuid('must be a tenant UUID').optional(),
  ...databaseConfigFields,
  /** Per-tenant envelope encryption (on by default; a local keyring file in development). */
  ...cryptoConfigSchema.shape,
  /** Every step writes its record: the runner needs more connections than the API services. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(20),
  ROUTER_URL: hostPort,
  PUBLISHER_URL: hostPort,
  /** Where triggers' tenants and their trigger-signing keys are checked (ListTriggerKeys). */
  TENANCY_URL: hostPort,
  /** How long a tenant's existence and keys are trusted in-process; a revoked key is refused at most this much later. */
  TENANT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** How long a tenant's policy set (tool.call decisions) is used before asking tenancy (PolicyService) whether it changed. */
  POLICY_CACHE_TTL_MS: policyCacheTtlMs,
  /** Where policy decisions are recorded: `kafka` (the audit trail) or `log` (a service tested alone). */
  AUDIT_RECORDER: auditRecorderMode,
  /** Unset: run without registering (e.g. a unit of work that must not depend on the registry). */
  REGISTRY_URL: hostPort.optional(),
  /**
   * true: a definition the registry refuses (incompatible schema, changed definition under the
   * same version) stops the runner. false (local development): log it and run the agent anyway.
   */
  REGISTRY_STRICT: bool(true),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(3_000),
  /** Comma-separated workflow modules; each default-exports an array of Workflow. */
  WEAVER_WORKFLOWS: csv('examples/index.ts'),
  /**
   * The agent types this runner consumes for (docs/deployment.md, one Deployment per agent type
   * scaled on its lag): `a,b` only those, `!a,!b` all but those; empty: every agent of the workflows.
   */
  WEAVER_AGENTS: csv('').transform((entries, ctx): AgentSelection => {
    try {
      return parseAgentSelection(entries);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const v of err.violations) ctx.addIssue({ code: 'custom', message: v.rule });
      return z.NEVER;
    }
  }),
  /** Run the trigger dispatcher, `kafka:` triggers and `schedule:` ticks here; false on per-agent runners. */
  WEAVER_DISPATCH: bool(true),
  /** How often agents requiring an event-type pattern (`content.*`) look for new matching topics (ms). */
  PATTERN_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(6),
  PROVISION_TOPICS: bool(true),
  STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  STEP_RETRY_BASE_MS: z.coerce.number().int().min(1).default(200),
  /** A stable id per replica (e.g. the pod name): the scheduler recognises its own tick claims by it. */
  INSTANCE_ID: z.string().min(1).optional(),
  /**
   * MCP servers for agents' `this.tools`, in the common `mcpServers` JSON form (docs/tools.md):
   * a file (MCP_SERVERS_FILE) or the JSON itself (MCP_SERVERS); neither: no tools. Validated
   * once at start (`loadMcpServers`), errors naming the server field and rule.
   */
  MCP_SERVERS_FILE: z.string().min(1).optional(),
  MCP_SERVERS: z.string().optional(),
  /** Per-call timeout of a server whose config sets no `timeoutMs`. */
  MCP_TOOL_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** How long a tenant's admin tool grants are trusted in-process (a revoked grant stops at most this much later). */
  TOOL_GRANTS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** Vector indexes of agent memory kept loaded at once (least recently used evicted; docs/memory.md). */
  MEMORY_MAX_LOADED_INDEXES: z.coerce.number().int().min(1).max(10_000).default(64),
  /** How often expired short-term and episodic memory is deleted (bounded per sweep); 0: never. */
  MEMORY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Tenants whose `schedule:` workflows this installation starts (one run per tick each); empty: none. */
  WEAVER_SCHEDULE_TENANTS: csv('').pipe(z.array(z.uuid('must be a comma-separated list of tenant UUIDs'))),
}).superRefine(kafkaConfigRules);

export type AgentRunnerConfig = z.infer<typeof agentRunnerConfigSchema>;
