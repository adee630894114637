import { z } from '@weaver/config';
import { LEVELS } from '@weaver/governance';

/**
 * Capabilities the router and the adapters give a meaning to (a request with tools needs
 * `tools`, a stream needs `streaming`, ...). Any other name in models.yaml (`code`, `analysis`,
 * `domain-specific`, as the plan writes them) is a tag: routing matches a request's
 * `required_capabilities` against a model's tags exactly as against these.
 */
export const CAPABILITIES = ['text', 'vision', 'audio', 'tools', 'json', 'streaming', 'embeddings'] as const;
export type KnownCapability = (typeof CAPABILITIES)[number];
/** A known capability or a tag (lower case letters, digits, `.` `_` `-`). */
export type Capability = string;
export const CAPABILITY_TAG = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const CAPABILITY_RULE = 'must be a capability tag: lower-case letters, digits, . _ - (up to 64, starting with a letter or digit)';

export const POLICIES = ['cheapest', 'lowest-latency', 'least-busy', 'weighted'] as const;
export type RoutingPolicyName = (typeof POLICIES)[number];

const nonNegative = z.number().min(0);
const capabilityTag = z.string().regex(CAPABILITY_TAG, CAPABILITY_RULE);

/** Providers whose models run on the operator's own infrastructure unless models.yaml says otherwise. */
export const SELF_HOSTED_PROVIDERS: ReadonlySet<string> = new Set(['self-hosted']);
/** Context window assumed when a model states none: small, so no prompt is sent that the model cannot hold. */
export const DEFAULT_MAX_CONTEXT = 4096;
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
    capabilities: z.array(capabilityTag).min(1),
    max_context: z.number().int().positive().default(DEFAULT_MAX_CONTEXT),
    max_output_tokens: z.number().int().positive().default(4096),
    /** One USD price for input and output tokens alike (the plan's form); `cost` refines it per direction. */
    cost_per_token: nonNegative.optional(),
    cost: z.strictObject({ input_per_token: nonNegative.optional(), output_per_token: nonNegative.optional() }).optional(),
    /** Default: true for provider `self-hosted`, else false. */
    self_hosted: z.boolean().optional(),
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
  .strict()
  .superRefine((m, ctx) => {
    // An unpriced hosted model would always look cheapest; only the operator's own may be free by omission.
    const priced = m.cost_per_token !== undefined || (m.cost?.input_per_token !== undefined && m.cost.output_per_token !== undefined);
    if (!priced && !(m.self_hosted ?? SELF_HOSTED_PROVIDERS.has(m.provider))) {
      const path = m.cost ? ['cost'] : ['cost_per_token'];
      ctx.addIssue({ code: 'custom', path, message: 'a price is required: cost_per_token, or cost.input_per_token and cost.output_per_token (only a self-hosted model may omit it)' });
    }
  })
  .transform((m) => ({ ...m, self_hosted: m.self_hosted ?? SELF_HOSTED_PROVIDERS.has(m.provider), cost: priceOf(m) }));

/**
 * The per-direction price: `cost.input_per_token` / `cost.output_per_token` where given, else
 * `cost_per_token` for that direction, else 0 (a self-hosted model with no price stated).
 */
function priceOf(m: { cost_per_token?: number; cost?: { input_per_token?: number; output_per_token?: number } }): { input_per_token: number; output_per_token: number } {
  return { input_per_token: m.cost?.input_per_token ?? m.cost_per_token ?? 0, output_per_token: m.cost?.output_per_token ?? m.cost_per_token ?? 0 };
}

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
  /** Optional: the plan's file has none, and 1 is the only version. */
  version: z.literal(1).default(1),
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
