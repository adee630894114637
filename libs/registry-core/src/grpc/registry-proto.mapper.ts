import { registry } from '@weaver/contracts';
import { ValidationError, type FieldViolation } from '@weaver/errors';
import type { AgentDefinition, AgentDefinitionInput } from '../definitions/agent-definition';
import type { RegisteredAgentView } from '../discovery/agent-discovery';
import type { AgentInstanceView } from '../instances/agent-instance.view';
import type { InstanceHealth } from '../instances/instance-health';

/**
 * Domain ↔ weaver.registry.v1 messages, shared by the service's gRPC controller and by
 * RegistryClient. Schemas travel as JSON text (`*_schema_json`) because proto3 has no JSON value.
 */
const { InstanceHealth: Health } = registry;

export function healthToProto(health: InstanceHealth): registry.InstanceHealth {
  switch (health) {
    case 'healthy':
      return Health.INSTANCE_HEALTH_HEALTHY;
    case 'suspect':
      return Health.INSTANCE_HEALTH_UNHEALTHY;
    case 'draining':
      return Health.INSTANCE_HEALTH_DRAINING;
    case 'dead':
      return Health.INSTANCE_HEALTH_DEAD;
    case 'deregistered':
      return Health.INSTANCE_HEALTH_UNSPECIFIED;
  }
}

export function healthFromProto(health: registry.InstanceHealth): InstanceHealth {
  switch (health) {
    case Health.INSTANCE_HEALTH_HEALTHY:
      return 'healthy';
    case Health.INSTANCE_HEALTH_UNHEALTHY:
      return 'suspect';
    case Health.INSTANCE_HEALTH_DRAINING:
      return 'draining';
    case Health.INSTANCE_HEALTH_DEAD:
      return 'dead';
    default:
      return 'deregistered';
  }
}

export function definitionToProto(d: AgentDefinition): registry.AgentDefinition {
  return {
    name: d.name,
    version: d.version,
    capabilities: [...d.capabilities],
    requires: [...d.requires],
    publishes: [...d.publishes],
    inputSchemaJson: JSON.stringify(d.inputSchema),
    outputSchemaJson: JSON.stringify(d.outputSchema),
    maxConcurrency: d.maxConcurrency,
    timeoutMs: d.timeoutMs,
    description: d.description,
  };
}

/** A definition as a client wrote it (schemas as objects) → the wire message. */
export function definitionInputToProto(d: AgentDefinitionInput): registry.AgentDefinition {
  return {
    name: d.name,
    version: d.version,
    capabilities: [...(d.capabilities ?? [])],
    requires: [...(d.requires ?? [])],
    publishes: [...(d.publishes ?? [])],
    inputSchemaJson: d.inputSchema === undefined ? '' : JSON.stringify(d.inputSchema),
    outputSchemaJson: d.outputSchema === undefined ? '' : JSON.stringify(d.outputSchema),
    maxConcurrency: d.maxConcurrency ?? 0,
    timeoutMs: d.timeoutMs ?? 0,
    description: d.description ?? '',
  };
}

/** The wire message → the raw shape `parseAgentDefinition` validates; bad JSON is named by its proto field. */
export function definitionFromProto(p: registry.AgentDefinition | null | undefined): Record<string, unknown> {
  if (p === null || p === undefined) throw new ValidationError([{ field: 'definition', rule: 'is required' }], 'request');
  const violations: FieldViolation[] = [];
  const schema = (text: string, field: string): unknown => {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      violations.push({ field: `definition.${field}`, rule: `must be a JSON Schema document as JSON text (${(error as Error).message})` });
      return null;
    }
  };
  const inputSchema = schema(p.inputSchemaJson, 'input_schema_json');
  const outputSchema = schema(p.outputSchemaJson, 'output_schema_json');
  if (violations.length > 0) throw new ValidationError(violations, 'definition');
  return {
    name: p.name,
    version: p.version,
    description: p.description,
    capabilities: p.capabilities,
    requires: p.requires,
    publishes: p.publishes,
    inputSchema,
    outputSchema,
    maxConcurrency: p.maxConcurrency,
    timeoutMs: p.timeoutMs,
  };
}

export function instanceToProto(i: AgentInstanceView): registry.AgentInstance {
  return {
    instanceId: i.instanceId,
    agent: i.agent,
    agentVersion: i.agentVersion,
    host: i.host,
    pid: i.pid,
    health: healthToProto(i.health),
    inFlight: i.inFlight,
    assignedPartitions: i.partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
    takenOver: i.takenOver.map((t) => ({ partition: { ...t.partition }, byInstanceId: t.byInstanceId })),
    drainRequested: i.drainRequested,
    registeredAtMs: i.registeredAt.getTime(),
    lastHeartbeatAtMs: i.lastHeartbeatAt.getTime(),
    healthChangedAtMs: i.healthChangedAt.getTime(),
  };
}

export function registeredAgentToProto(a: RegisteredAgentView): registry.RegisteredAgent {
  return { definition: definitionToProto(a.definition), instances: a.instances.map(instanceToProto), healthyInstances: a.healthyInstances };
}

/** proto3 `optional string`: absent and empty both mean "no filter". */
export function optionalText(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
