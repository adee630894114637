import { trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ConfigError } from '@weaver/errors';
import { activeSpan, extractTraceContext, inSpan, isTracing, loadTracingConfig, tracesUrlOf, withTraceHeaders } from './index';
import { markTracingOn } from './tracing-state';

describe('tracing config', () => {
  it('is off without an endpoint and names the traces URL otherwise', () => {
    expect(tracesUrlOf(loadTracingConfig({}))).toBeUndefined();
    expect(tracesUrlOf(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }))).toBeUndefined();
    expect(tracesUrlOf(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toBe('http://collector:4318/v1/traces');
    expect(tracesUrlOf(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9/t' }))).toBe('http://b:9/t');
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x,tenant=a' }).OTEL_EXPORTER_OTLP_HEADERS).toEqual({ authorization: 'Bearer x', tenant: 'a' });
  });

  it('refuses bad values, naming the variable', () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadTracingConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(bad({ OTEL_TRACES_SAMPLER_ARG: '2' })).toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(bad({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toContain('OTEL_EXPORTER_OTLP_HEADERS');
  });
});

describe('spans and W3C headers', () => {
  // The SDK as startTracing registers it, with an in-memory exporter (jest cannot run the OTLP
  // exporter's dynamic import; e2e/tracing.int-spec.ts exports to a real Jaeger).
  const exporter = new InMemorySpanExporter();

  it('off: no span, headers untouched (the same object), work still runs', async () => {
    expect(isTracing()).toBe(false);
    const headers = { 'weaver-type': 'x' };
    await expect(inSpan('s', {}, async (span) => (expect(span.isRecording()).toBe(false), withTraceHeaders(headers)))).resolves.toBe(headers);
    expect(activeSpan().isRecording()).toBe(false);
  });

  it('on: a child span continues the trace a record header carries, and its records carry the child', async () => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register({ propagator: new W3CTraceContextPropagator() });
    markTracingOn();
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const out = await inSpan('step', { parent: extractTraceContext({ traceparent: parent }) }, async (span) => {
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(trace.getActiveSpan()).toBe(span);
      await new Promise((r) => setTimeout(r, 1)); // still active after an await
      expect(activeSpan()).toBe(span);
      return { headers: withTraceHeaders({ 'weaver-type': 'x' }), spanId: span.spanContext().spanId };
    });
    expect(out.headers).toEqual({ 'weaver-type': 'x', traceparent: `00-0af7651916cd43dd8448eb211c80319c-${out.spanId}-01` });
    await expect(inSpan('failing', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.parentSpanContext?.spanId, s.status.code])).toEqual([
      ['step', 'b7ad6b7169203331', 0],
      ['failing', undefined, 2],
    ]);
    expect(spans[1]!.events.map((e) => e.name)).toEqual(['exception']);
  });
});
