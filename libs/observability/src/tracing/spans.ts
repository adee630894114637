import { context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { isTracing } from './tracing-state';

export { SpanKind, SpanStatusCode, type Attributes, type Context, type Span };

/** Weaver's own span attributes (namespaced `weaver.`, as the semantic conventions ask). */
export const WeaverAttr = {
  tenant: 'weaver.tenant.id',
  run: 'weaver.run.id',
  workflow: 'weaver.workflow',
  step: 'weaver.step',
  agent: 'weaver.agent',
  eventType: 'weaver.event.type',
  eventId: 'weaver.event.id',
  attempt: 'weaver.attempt',
  costUsd: 'weaver.cost.usd',
  replayed: 'weaver.model.replayed',
  cached: 'weaver.model.cached',
} as const;

/**
 * The GenAI semantic conventions (development status, so not in the stable entry point of
 * @opentelemetry/semantic-conventions; copied as its docs advise for incubating names).
 * Both `gen_ai.system` (older collectors and UIs key on it) and its successor
 * `gen_ai.provider.name` are set.
 */
export const GenAiAttr = {
  operation: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  maxTokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
} as const;

const tracer = () => trace.getTracer('weaver');
/** What span callbacks get when tracing is off: records nothing, costs nothing. */
const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanStart {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context (default: the active one), e.g. `extractTraceContext(record.headers)`. */
  parent?: Context;
}

/**
 * Runs `work` in a new span (active for everything `work` awaits, so gRPC/HTTP calls and
 * produced records below it are its children), ended when `work` settles; an error is recorded
 * on it and rethrown. With tracing off: `work(no-op span)` and nothing else.
 */
export function inSpan<T>(name: string, start: SpanStart, work: (span: Span) => Promise<T>): Promise<T> {
  if (!isTracing()) return work(NOOP_SPAN);
  const parent = start.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: start.kind ?? SpanKind.INTERNAL, attributes: start.attributes }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The span active here (a no-op one when none or tracing is off). */
export const activeSpan = (): Span => (isTracing() ? (trace.getActiveSpan() ?? NOOP_SPAN) : NOOP_SPAN);

const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};

/**
 * `headers` plus the W3C trace context (`traceparent`, `tracestate`) of `ctx` (default: the
 * active one). The same object when tracing is off or there is no span to continue.
 */
export function withTraceHeaders(headers: Record<string, string> | undefined, ctx: Context = context.active()): Record<string, string> | undefined {
  if (!isTracing() || !trace.getSpanContext(ctx)) return headers;
  const out = { ...headers };
  propagation.inject(ctx, out, setter);
  return out;
}

/**
 * The trace context a record carries in its headers (ROOT when none): a consumed record's
 * parent is the span that produced it, never whatever the fetch loop happened to run in.
 */
export const extractTraceContext = (headers: Record<string, string>): Context => propagation.extract(ROOT_CONTEXT, headers, getter);

/** The 32-hex trace id of a span ('' for the no-op span). */
export const traceIdOf = (span: Span): string => (span.isRecording() ? span.spanContext().traceId : '');
