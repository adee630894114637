/**
 * The AgentPool resource (weaver.dev/v1alpha1): the one place its shape is written. The zod
 * schemas validate what the controller reads; `agent-pool.crd.ts` turns the same schemas into
 * the CRD's structural openAPIV3Schema (deploy/helm/weaver/crds/agentpools.weaver.dev.yaml is
 * generated from here and a unit test fails when it drifts).
 *
 * Fields carrying `x-kubernetes-*` meta are rendered as the API server's extensions
 * (int-or-string quantities, CEL rules); zod checks the same rules itself.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from '@weaver/config';

export const AGENT_POOL_GROUP = 'weaver.dev';
export const AGENT_POOL_VERSION = 'v1alpha1';
export const AGENT_POOL_API_VERSION = `${AGENT_POOL_GROUP}/${AGENT_POOL_VERSION}`;
export const AGENT_POOL_KIND = 'AgentPool';
export const AGENT_POOL_PLURAL = 'agentpools';

/** Agent names as the SDK accepts them (libs/sdk agent-definition.ts, AGENT_NAME): kebab-case. */
export const AGENT_TYPE_PATTERN = '^[a-z][a-z0-9-]*$';
/** Kubernetes' resource.Quantity, as its own CRDs spell it. */
const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const ENV_NAME = '^[-._a-zA-Z][-._a-zA-Z0-9]*$';
/** Event types as the messaging layer accepts them (libs/messaging topics.ts, EVENT_TYPE). */
const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$';

/** Variables the operator sets itself on every agent-runner container. */
export const RESERVED_ENV = ['WEAVER_AGENTS', 'WEAVER_ISOLATED_TENANT', 'DATABASE_URL', 'BIND_HOST', 'HTTP_PORT', 'GRPC_PORT', 'INSTANCE_ID'] as const;
const envVarSchema = z
  .object({ name: z.string().min(1).max(256).regex(new RegExp(ENV_NAME)), value: z.string() })
  .refine((e) => !(RESERVED_ENV as readonly string[]).includes(e.name), { message: `must not be one the operator sets (${RESERVED_ENV.join(', ')})`, path: ['name'] })
  .meta({ 'x-kubernetes-validations': [{ rule: `!(self.name in [${RESERVED_ENV.map((n) => `'${n}'`).join(', ')}])`, message: 'env must not set a variable the operator sets' }] });

/** Marks a schema rendered as `x-kubernetes-int-or-string` (agent-pool.crd.ts). */
export const INT_OR_STRING = 'x-kubernetes-int-or-string';

const quantity = z
  .union([z.string().regex(new RegExp(QUANTITY_PATTERN), 'must be a Kubernetes quantity (e.g. 250m, 1Gi)'), z.number().int().min(0)])
  .meta({ [INT_OR_STRING]: true, pattern: QUANTITY_PATTERN });
const resourceList = z.object({ cpu: quantity.optional(), memory: quantity.optional(), 'ephemeral-storage': quantity.optional() });

const replicasSchema = z
  .object({
    /** 0 lets KEDA scale the pool to zero while its consumer group has no lag. */
    min: z.number().int().min(0).max(1000).default(0),
    /** Replicas beyond the topic's partitions would sit idle: KEDA caps at the partition count. */
    max: z.number().int().min(1).max(1000),
  })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
  .meta({ 'x-kubernetes-validations': [{ rule: 'self.min <= self.max', message: 'replicas.min must not exceed replicas.max' }] });

/** Names of ConfigMaps/Secrets the agent-runner's environment comes from (what k8s/base uses by default). */
const configRefsSchema = z.object({
  configMaps: z.array(z.string().regex(new RegExp(DNS_LABEL))).default(['weaver-config']),
  secrets: z.array(z.string().regex(new RegExp(DNS_LABEL))).default(['weaver-secrets']),
  /** A Secret with key DATABASE_URL: the agent-runner's own role, never the owner's. */
  databaseSecret: z.string().regex(new RegExp(DNS_LABEL)).default('weaver-db-agent-runner'),
  /** The agent-runner's gRPC mutual-TLS certificate (mounted at /var/run/weaver/tls). */
  tlsSecret: z.string().regex(new RegExp(DNS_LABEL)).default('weaver-agent-runner-tls'),
});

export const agentPoolSpecSchema = z.object({
  /** The agent this pool runs (WEAVER_AGENTS of its agent-runner; its consumer group is weaver.agent.<agentType>). */
  agentType: z.string().min(1).max(50).regex(new RegExp(AGENT_TYPE_PATTERN), 'must be kebab-case ([a-z][a-z0-9-]*)'),
  image: z.string().min(1).max(512),
  /** The container's arguments; the default runs the image's agent-runner (its entrypoint takes the service name, deploy/README.md). */
  args: z.array(z.string()).min(1).default(['agent-runner']),
  replicas: replicasSchema,
  /** Consumer-group lag per replica that KEDA aims for (its kafka trigger's lagThreshold). */
  lagTarget: z.number().int().min(1).max(1_000_000),
  /** Lag at which a pool scaled to zero wakes (KEDA activationLagThreshold); 0: any lag. */
  activationLag: z.number().int().min(0).max(1_000_000).default(0),
  resources: z
    .object({ requests: resourceList.optional(), limits: resourceList.optional() })
    .default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } }),
  /** An isolated-tier tenant's own pool: WEAVER_ISOLATED_TENANT, and its consumer group is under tenant-<id>. */
  tenantScope: z.uuid('must be a tenant UUID').optional(),
  config: configRefsSchema.default({ configMaps: ['weaver-config'], secrets: ['weaver-secrets'], databaseSecret: 'weaver-db-agent-runner', tlsSecret: 'weaver-agent-runner-tls' }),
  /**
   * The event types the agent consumes (its `requires`, e.g. "content.researched"): one KEDA
   * trigger per event topic, so lag counts even before the group has committed an offset.
   * Empty: one trigger over every topic the group has offsets on (then keep replicas.min >= 1,
   * or a pool whose group never committed cannot wake; docs/operator.md).
   */
  eventTypes: z.array(z.string().regex(new RegExp(EVENT_TYPE_PATTERN), 'must be dot-separated lowercase words')).max(32).default([]),
  /** Extra plain environment variables; the operator's own (RESERVED_ENV) cannot be set here. */
  env: z.array(envVarSchema).max(100).default([]),
});

export type AgentPoolSpec = z.infer<typeof agentPoolSpecSchema>;

export const POOL_PHASES = ['Pending', 'Reconciling', 'Ready', 'Degraded', 'Deleting'] as const;
export type PoolPhase = (typeof POOL_PHASES)[number];
export const CONDITION_TYPES = ['Ready', 'Reconciling', 'Degraded'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const poolConditionSchema = z.object({
  type: z.enum(CONDITION_TYPES),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32_768),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type PoolCondition = z.infer<typeof poolConditionSchema>;

export const agentPoolStatusSchema = z.object({
  phase: z.enum(POOL_PHASES).optional(),
  observedGeneration: z.number().int().min(0).optional(),
  conditions: z.array(poolConditionSchema).optional(),
  deployment: z.string().optional(),
  scaledObject: z.string().optional(),
  /** The agent type's consumer group KEDA reads the lag of. */
  consumerGroup: z.string().optional(),
  /** Copied from the Deployment's status (0 while scaled to zero or before pods exist). */
  replicas: z.number().int().min(0).optional(),
  readyReplicas: z.number().int().min(0).optional(),
});
export type AgentPoolStatus = z.infer<typeof agentPoolStatusSchema>;

/** An AgentPool as the API server returns it (spec not yet validated: see pool-spec.ts). */
export interface AgentPool {
  apiVersion: typeof AGENT_POOL_API_VERSION;
  kind: typeof AGENT_POOL_KIND;
  // (deletionTimestamp arrives as a string from the custom-objects API, typed Date by client-node: only its presence is read.)
  metadata: V1ObjectMeta & { name: string; namespace: string; uid: string };
  spec: unknown;
  status?: AgentPoolStatus;
}
