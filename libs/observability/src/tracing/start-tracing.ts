import { trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { loadTracingConfig, tracesUrlOf, type TracingConfig } from './tracing-config';
import { markTracingOn } from './tracing-state';

/** What `startTracing` set up; `shutdown()` exports what is still queued (call it before exit). */
export interface Tracing {
  readonly enabled: boolean;
  /** Where spans go (undefined when off). */
  readonly url: string | undefined;
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, url: undefined, shutdown: () => Promise.resolve() };
let started: Tracing | undefined;

/** Health, readiness and scrape requests are not traces anybody reads: they would drown the intake spans. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Traces for one service process, set up once, first thing in its `main.ts` (before Nest,
 * gRPC or HTTP modules load: the HTTP and gRPC instrumentations patch them as they load).
 * With no OTLP endpoint configured it registers nothing: the API stays its own no-op and a
 * step pays one boolean check (see `isTracing`).
 *
 * On: a NodeTracerProvider (AsyncLocalStorage context, W3C trace context propagation), spans
 * exported over OTLP/HTTP protobuf by a BatchSpanProcessor (a step never waits for an export;
 * a full queue drops spans rather than grow memory), parent-based ratio sampling.
 */
export function startTracing(serviceName: string, config: TracingConfig, version = '0.0.0'): Tracing {
  if (started) return started;
  const url = tracesUrlOf(config);
  if (!url) return (started = OFF);
  const exporter = new OTLPTraceExporter({ url, headers: config.OTEL_EXPORTER_OTLP_HEADERS, timeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: version,
      'service.namespace': 'weaver',
      ...(config.WEAVER_ENVIRONMENT ? { 'deployment.environment.name': config.WEAVER_ENVIRONMENT } : {}),
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        maxExportBatchSize: Math.min(config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, config.OTEL_BSP_MAX_QUEUE_SIZE),
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
      }),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? '') }),
      new GrpcInstrumentation(),
    ],
  });
  markTracingOn();
  started = {
    enabled: true,
    url,
    shutdown: async () => {
      unregister();
      await provider.shutdown();
      trace.disable();
    },
  };
  return started;
}

/** The tracing this process started (off when `startTracing` was not called). */
export const currentTracing = (): Tracing => started ?? OFF;

/**
 * `startTracing` from the process environment, for a service's `main.ts` (its first import):
 * a bad tracing variable prints every violation and exits 1, like the rest of the config.
 */
export function startServiceTracing(serviceName: string, env: Record<string, string | undefined> = process.env): Tracing {
  try {
    return startTracing(serviceName, loadTracingConfig(env));
  } catch (error) {
    process.stderr.write(`${serviceName}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
