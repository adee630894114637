import { z } from '@weaver/config';
import { LEVELS } from '@weaver/governance';

/** Capability names as written in models.yaml and in a request's `required_capabilities`. */
export const CAPABILITIES = ['text', 'vision', 'audio', 'tools', 'json', 'streaming', 'embeddings'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const POLICIES = ['cheapest', 'lowest-latency', 'least-busy', 'weighted'] as const;
export type RoutingPolicyName = (typeof POLICIES)[number];

const nonNegative = z.number().min(0);
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'must be letters, digits and . _ : / - (starting with a letter or digit)');

const modelSchema = z
  .object({
    name,
    provider: z.string().min(1),
    /** The provider's model id; defaults to `name`. */
    model: z.string().min(1).optional(),
    endpoint: z.url().optional(),
    /** The NAME of the environment variable holding the key, never the key. */
    api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name like OPENAI_API_KEY').optional(),
    capabilities: z.array(z.enum(CAPABILITIES)).min(1),
    max_context: z.number().int().positive(),
    max_output_tokens: z.number().int().positive().default(4096),
    cost: z.strictObject({ input_per_token: nonNegative, output_per_token: nonNegative }),
    self_hosted: z.boolean().default(false),
    /**
     * The highest classification level this model may receive. Default: `restricted` for a
     * self-hosted model, `confidential` for any other (restricted data never leaves the
     * operator's infrastructure unless its models.yaml says so for a model, by name).
     */
    max_classification: z.enum(LEVELS).optional(),
    weight: z.number().positive().default(1),
    timeout_ms: z.number().int().positive().optional(),
    /** Models to try next, in order, when this one fails. */
    fallbacks: z.array(name).default([]),
    pool: z.strictObject({ connections: z.number().int().positive().optional(), keep_alive_ms: z.number().int().positive().optional() }).optional(),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    description: z.string().optional(),
  })
  .strict();

const overrideSchema = z.strictObject({
  policy: z.enum(POLICIES).optional(),
  /** Only these models may serve the tenant/workflow. */
  models: z.array(name).optional(),
  /** Tried first when capable, before the policy's order. */
  prefer: z.array(name).optional(),
});

const experimentSchema = z.strictObject({
  name,
  /** Applies to requests of this workflow (and agent, when given). */
  workflow: z.string().optional(),
  agent: z.string().optional(),
  arms: z
    .array(z.strictObject({ name, model: name, weight: z.number().positive() }))
    .min(2, 'an experiment needs at least two arms'),
});

export const modelsFileSchema = z.strictObject({
  version: z.literal(1),
  defaults: z
    .strictObject({
      policy: z.enum(POLICIES).default('cheapest'),
      timeout_ms: z.number().int().positive().default(30_000),
      retry: z
        .strictObject({
          attempts: z.number().int().min(1).max(10).default(2),
          base_ms: z.number().int().positive().default(200),
          max_ms: z.number().int().positive().default(2_000),
          /** A Retry-After longer than this falls back to the next model instead of waiting. */
          max_retry_after_ms: z.number().int().min(0).default(2_000),
        })
        .prefault({}),
      breaker: z
        .strictObject({
          error_threshold_percentage: z.number().min(1).max(100).default(50),
          reset_timeout_ms: z.number().int().positive().default(30_000),
          volume_threshold: z.number().int().min(1).default(5),
          rolling_window_ms: z.number().int().positive().default(10_000),
        })
        .prefault({}),
      cache: z.strictObject({ enabled: z.boolean().default(true), ttl_s: z.number().int().positive().default(300) }).prefault({}),
      /** How many models a request may try (first choice + fallbacks). */
      max_attempted_models: z.number().int().min(1).default(3),
    })
    .prefault({}),
  models: z.array(modelSchema).min(1, 'at least one model is required'),
  routing: z
    .strictObject({
      tenants: z.record(z.string(), overrideSchema).default({}),
      workflows: z.record(z.string(), overrideSchema).default({}),
    })
    .prefault({}),
  experiments: z.array(experimentSchema).default([]),
});

export type ModelsFile = z.infer<typeof modelsFileSchema>;
export type ModelEntryConfig = ModelsFile['models'][number];
export type RoutingOverride = z.infer<typeof overrideSchema>;
export type ExperimentConfig = ModelsFile['experiments'][number];
