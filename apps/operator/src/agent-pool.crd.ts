/**
 * The AgentPool CustomResourceDefinition, made from the zod schemas of agent-pool.schema.ts, so
 * the API server refuses what the controller would refuse (one shape, two enforcers). zod's
 * OpenAPI 3.0 output is made structural as Kubernetes requires: no `$schema`, no
 * `additionalProperties: false` beside `properties`, no `propertyNames`, and int-or-string
 * quantities in the one form the API server accepts.
 */
import { z } from '@weaver/config';
import {
  AGENT_POOL_GROUP, AGENT_POOL_KIND, AGENT_POOL_PLURAL, AGENT_POOL_VERSION, INT_OR_STRING,
  agentPoolSpecSchema, agentPoolStatusSchema,
} from './agent-pool.schema';

export type JsonSchema = { [key: string]: unknown };

const SAFE_INT = Number.MAX_SAFE_INTEGER;

function openApi(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    // What a user writes: defaulted fields are optional (the API server applies the defaults).
    io: 'input',
    reused: 'inline',
    unrepresentable: 'throw',
  }) as JsonSchema;
  return structural(json);
}

/** Rewrites zod's JSON Schema into a Kubernetes structural schema (recursively). */
export function structural(node: JsonSchema): JsonSchema {
  if (node[INT_OR_STRING] === true) {
    const out: JsonSchema = { [INT_OR_STRING]: true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    if (typeof node['pattern'] === 'string') out['pattern'] = node['pattern'];
    return out;
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'propertyNames') continue;
    if (key === 'additionalProperties' && value === false) continue;
    // zod bounds every int() by the safe-integer range; that says nothing to a reader.
    if ((key === 'maximum' && value === SAFE_INT) || (key === 'minimum' && value === -SAFE_INT)) continue;
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? structural(v) : v]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = structural(value);
    } else if (key === 'required' && Array.isArray(value) && value.length === 0) {
      continue;
    } else {
      out[key] = value;
    }
  }
  return out;
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function agentPoolCrd(): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${AGENT_POOL_PLURAL}.${AGENT_POOL_GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'weaver', 'app.kubernetes.io/component': 'operator' },
    },
    spec: {
      group: AGENT_POOL_GROUP,
      scope: 'Namespaced',
      names: { plural: AGENT_POOL_PLURAL, singular: 'agentpool', kind: AGENT_POOL_KIND, listKind: `${AGENT_POOL_KIND}List`, shortNames: ['ap'], categories: ['weaver'] },
      versions: [
        {
          name: AGENT_POOL_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Agent', type: 'string', jsonPath: '.spec.agentType' },
            { name: 'Min', type: 'integer', jsonPath: '.spec.replicas.min' },
            { name: 'Max', type: 'integer', jsonPath: '.spec.replicas.max' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A pool of agent-runner pods for one agent type, scaled by KEDA on its consumer group lag (docs/operator.md).',
              required: ['spec'],
              // The name becomes label values (at most 63 characters) and `weaver-agent-<name>`.
              'x-kubernetes-validations': [{ rule: 'size(self.metadata.name) <= 50', message: 'metadata.name must be at most 50 characters (it names the Deployment and ScaledObject)' }],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: openApi(agentPoolSpecSchema),
                status: openApi(agentPoolStatusSchema),
              },
            },
          },
        },
      ],
    },
  };
}
