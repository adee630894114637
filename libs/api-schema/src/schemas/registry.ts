import { z } from 'zod';

/** The registry's views as the gateway relays them (proto/weaver/registry/v1, JSON: enums as names, int64 as numbers). */
export const INSTANCE_HEALTHS = ['INSTANCE_HEALTH_UNSPECIFIED', 'INSTANCE_HEALTH_HEALTHY', 'INSTANCE_HEALTH_UNHEALTHY', 'INSTANCE_HEALTH_DRAINING', 'INSTANCE_HEALTH_DEAD'] as const;

export const AgentDefinition = z.object({
  name: z.string(),
  version: z.string(),
  capabilities: z.array(z.string()),
  requires: z.array(z.string()).describe('event types the agent consumes'),
  publishes: z.array(z.string()),
  inputSchemaJson: z.string().describe('JSON Schema of the input, as JSON text ("" when none)'),
  outputSchemaJson: z.string(),
  maxConcurrency: z.number().int(),
  timeoutMs: z.number().int(),
  description: z.string(),
});

const PartitionAssignment = z.object({ topic: z.string(), partition: z.number().int() });

export const AgentInstance = z.object({
  instanceId: z.string(),
  agent: z.string(),
  host: z.string(),
  pid: z.number().int(),
  health: z.enum(INSTANCE_HEALTHS),
  inFlight: z.number().int(),
  assignedPartitions: z.array(PartitionAssignment),
  registeredAtMs: z.number(),
  lastHeartbeatAtMs: z.number(),
  agentVersion: z.string(),
  drainRequested: z.boolean(),
  takenOver: z.array(z.object({ partition: PartitionAssignment.nullable().optional(), byInstanceId: z.string() })),
  healthChangedAtMs: z.number(),
});

export const RegisteredAgent = z.object({
  definition: AgentDefinition.nullable().optional(),
  instances: z.array(AgentInstance),
  healthyInstances: z.number().int(),
});
export type RegisteredAgent = z.infer<typeof RegisteredAgent>;

/** An MCP server the agent-runners discovered, with its tools, resources and prompts. */
export const McpServer = z.object({
  server: z.string(),
  transport: z.string().describe('stdio | http'),
  status: z.string().describe('ready | failed'),
  error: z.string(),
  tools: z.array(z.object({ name: z.string().describe('"<server>/<tool>"'), description: z.string(), inputSchema: z.unknown().describe('JSON Schema of the arguments') })),
  resources: z.array(z.object({ uri: z.string(), name: z.string(), mimeType: z.string() })),
  prompts: z.array(z.object({ name: z.string(), description: z.string(), arguments: z.array(z.string()) })),
  runnerId: z.string(),
  reportedAt: z.string(),
});
export type McpServer = z.infer<typeof McpServer>;
