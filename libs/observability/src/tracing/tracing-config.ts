import { loadConfig, z } from '@weaver/config';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http(s) URL, e.g. http://otel-collector:4318').optional())
  .optional();

const ms = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * The tracing variables (the OpenTelemetry SDK's own names, so an operator's usual settings
 * work), validated once by `startTracing`. No endpoint → tracing is off and every span call is
 * the API's no-op.
 */
export const tracingConfigSchema = z.object({
  /** OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** The full traces URL, when it is not `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  /** `key=value,key2=value2` headers on every export (e.g. a collector's auth token). */
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const headers: Record<string, string> = {};
      for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
        const at = pair.indexOf('=');
        if (at <= 0) ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value` });
        else headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
      }
      return headers;
    }),
  /** Fraction of new traces kept (parent-based: a sampled parent keeps its children). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** BatchSpanProcessor: how often a batch is exported, how many spans a batch and the queue hold. */
  OTEL_BSP_SCHEDULE_DELAY: ms(1_000, 60_000),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(512),
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(4_096),
  OTEL_BSP_EXPORT_TIMEOUT: ms(10_000, 120_000),
  /** `deployment.environment.name` of every span, e.g. "production". */
  WEAVER_ENVIRONMENT: z.string().min(1).optional(),
});

export type TracingConfig = z.infer<typeof tracingConfigSchema>;

/** Validates the tracing variables (ConfigError naming each bad one). */
export const loadTracingConfig = (env: Record<string, string | undefined> = process.env): TracingConfig => loadConfig(tracingConfigSchema, env, 'environment (tracing)');

/** Where spans are exported, or undefined when tracing is off. */
export function tracesUrlOf(config: TracingConfig): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}
