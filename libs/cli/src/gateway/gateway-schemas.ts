import { z } from '@weaver/config';
import type { AgentSummary } from './gateway-api';

/**
 * Shapes of the gateway's answers (docs/api.md), checked on arrival so a mismatched server
 * gives "unexpected answer from the gateway: runs.0.status ..." instead of a crash later.
 * Lenient where the doc is: unknown fields pass, optional ones may be missing.
 */
const step = z.looseObject({
  step: z.string(),
  agent: z.string(),
  status: z.string(),
  attempt: z.number().default(1),
  startedAt: z.string().default(''),
  finishedAt: z.string().default(''),
  durationMs: z.number().default(0),
});

export const runSchema = z.looseObject({
  runId: z.string(),
  tenantId: z.string().default(''),
  workflow: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'failed']),
  input: z.unknown(),
  result: z.unknown(),
  error: z.string().nullable().default(null),
  failedStep: z.string().nullable().default(null),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(step).optional(),
});

export const runEventSchema = z.looseObject({
  kind: z.string(),
  runId: z.string(),
  step: z.string().optional(),
  agent: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  run: runSchema.optional(),
  time: z.string().default(() => new Date().toISOString()),
});

export const startRunAnswer = z.looseObject({ run: runSchema, created: z.boolean().default(true) });
export const getRunAnswer = z.looseObject({ run: runSchema });
export const resultAnswer = z.looseObject({ result: z.unknown() });
export const listRunsAnswer = z.looseObject({ runs: z.array(runSchema) });
export const errorAnswer = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.looseObject({ violations: z.array(z.object({ field: z.string(), rule: z.string() })).optional() }).optional(),
  }),
});

// The registry's view as the gateway relays it: `{ definition, instances, healthyInstances }`
// (RegisteredAgent in proto/weaver/registry/v1) or the same fields flattened.
const capability = z.union([z.string(), z.looseObject({ name: z.string() }).transform((c) => c.name)]);
const instance = z.looseObject({
  instanceId: z.string().default(''),
  health: z.union([z.string(), z.number()]).default('unknown'),
  host: z.string().default(''),
  inFlight: z.number().default(0),
});
const definition = z.looseObject({
  name: z.string(),
  version: z.string().default(''),
  description: z.string().default(''),
  capabilities: z.array(capability).default([]),
  requires: z.array(z.string()).default([]),
  publishes: z.array(z.string()).default([]),
});
// Either shape: flat fields are used when `definition` is absent.
const agentEntry = z.union([
  z.looseObject({ definition, instances: z.array(instance).default([]), healthyInstances: z.number().optional() }),
  definition.extend({ instances: z.array(instance).default([]), healthyInstances: z.number().optional() }).transform((flat) => ({ definition: flat, instances: flat.instances, healthyInstances: flat.healthyInstances })),
]);

const HEALTH_BY_NUMBER = ['unspecified', 'healthy', 'unhealthy', 'draining', 'dead'];

/** "INSTANCE_HEALTH_HEALTHY", 1 or "healthy" → "healthy". */
export function healthName(value: string | number): string {
  if (typeof value === 'number') return HEALTH_BY_NUMBER[value] ?? String(value);
  return value.toLowerCase().replace(/^instance_health_/, '');
}

const agentSummary = agentEntry.transform((entry): AgentSummary => {
  const instances = entry.instances.map((i) => ({ instanceId: i.instanceId, health: healthName(i.health), host: i.host, inFlight: i.inFlight }));
  const { name, version, description, capabilities, requires, publishes } = entry.definition;
  return { name, version, description, capabilities, requires, publishes, instances, healthyInstances: entry.healthyInstances ?? instances.filter((i) => i.health === 'healthy').length };
});

export const listAgentsAnswer = z.looseObject({ agents: z.array(agentSummary) });
