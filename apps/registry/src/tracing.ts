/**
 * The first import of main.ts: tracing starts before Nest, HTTP and gRPC modules load, so the
 * OpenTelemetry instrumentations can patch them (off without OTEL_EXPORTER_OTLP_ENDPOINT).
 */
import { startServiceTracing } from '@weaver/observability';

startServiceTracing('registry');
