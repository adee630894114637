import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, startTestStack, testPortShift, type RunningStack, type ServiceName } from '@weaver/stack';
import { GRPC_SERVICES, type gateway } from '@weaver/contracts';
import { apiKeyMetadata, grpcClient, unary } from '@weaver/service-kit';
import { OpenAIWireServer } from '@weaver/testing';
import { JaegerQuery, startJaeger, type RunningJaeger, type TraceSpan } from '@weaver/jaeger';

/**
 * Issue 11 item 5: a run's trace through the whole stack (six service processes exporting over
 * OTLP to a real Jaeger v2), read back through Jaeger's query API. One trace per run:
 * intake (gateway `run.start`) → `dispatch run` → `step researcher` → `step writer` →
 * `step reviewer` (each step's span the child of the span that produced its event, across
 * Kafka), and under each step its model call (`chat auto`, in the router, reached over gRPC)
 * with the GenAI attributes, tokens and cost.
 */
const MODELS = (endpoint: string) => `
version: 1
defaults: { policy: cheapest }
models:
  - name: external
    provider: openai-compatible
    endpoint: ${endpoint}
    capabilities: [text]
    max_context: 8192
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
`;

const AGENTS = ['researcher', 'writer', 'reviewer'] as const;
/** Jaeger's ports: in the gap above this file's stack (TEST_STACK_PORTS.tracing), movable. */
const JAEGER_BASE = Number(process.env['WEAVER_TEST_JAEGER_PORT'] ?? 20_650) + testPortShift();

describe('OpenTelemetry traces of a run, through a real collector', () => {
  let stack: RunningStack & { namespace: string };
  let provider: OpenAIWireServer;
  let jaeger: RunningJaeger;
  let query: JaegerQuery;
  let tenant: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    jaeger = await startJaeger({ otlpPort: JAEGER_BASE, queryPort: JAEGER_BASE + 1, grpcPort: JAEGER_BASE + 2 });
    query = new JaegerQuery(jaeger.queryUrl);
    provider = await new OpenAIWireServer().start();
    const modelsFile = join(mkdtempSync(join(tmpdir(), 'weaver-tracing-')), 'models.yaml');
    writeFileSync(modelsFile, MODELS(`${provider.url}/v1`));
    // Every service exports to the collector; a short batch delay so spans arrive soon.
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
    const env: Partial<Record<ServiceName, Record<string, string>>> = Object.fromEntries(SERVICE_NAMES.map((s) => [s, { ...tracing }]));
    env.router = { ...tracing, ROUTER_MODELS_FILE: modelsFile };
    stack = await startTestStack('tracing', { env });
    tenant = await stack.createTenant('tracing');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await provider?.stop();
    await jaeger?.stop();
  });

  async function runToCompletion(topic: string): Promise<string> {
    const res = await fetch(`${stack.gatewayUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` },
      body: JSON.stringify({ workflow: 'content-pipeline', input: { topic } }),
    });
    expect(res.status).toBe(202);
    return completed(((await res.json()) as { run: { runId: string } }).run.runId);
  }

  async function grpcRunToCompletion(topic: string): Promise<string> {
    const grpc = grpcClient<gateway.GatewayServiceClient>(GRPC_SERVICES.gateway, stack.gatewayGrpcUrl, stack.operatorSecurity(), { deadlineMs: 30_000 });
    try {
      const started = await unary(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: JSON.stringify({ topic }), classification: [] }, apiKeyMetadata(tenant.apiKey)));
      return await completed(started.run!.runId);
    } finally {
      grpc.close();
    }
  }

  async function completed(runId: string): Promise<string> {
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const view = await fetch(`${stack.gatewayUrl}/v1/runs/${runId}`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
      const { run } = (await view.json()) as { run: { status: string; error: string | null } };
      if (run.status === 'failed') throw new Error(`run ${runId} failed: ${run.error}`);
      if (run.status === 'completed') return runId;
    }
    throw new Error(`run ${runId} did not complete`);
  }

  /** The run's trace once every span the tree needs has arrived (exports are batched). */
  async function traceOfRun(runId: string): Promise<{ ids: string[]; spans: TraceSpan[] }> {
    let last = '';
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
      const ids = await query.findTraceIds('gateway', { 'weaver.run.id': runId });
      if (ids.length === 1) {
        const spans = await query.trace(ids[0]!);
        const names = new Set(spans.map((s) => s.name));
        const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
        if (['run.start', 'dispatch run', ...AGENTS.map((a) => `step ${a}`)].every((n) => names.has(n)) && chats.length >= AGENTS.length) return { ids, spans };
        last = `trace ${ids[0]} has ${[...names].join(', ')}`;
      } else last = `${ids.length} traces for run ${runId}`;
    }
    throw new Error(`the trace of run ${runId} did not arrive whole: ${last}\n${jaeger.output()}`);
  }

  const one = (spans: TraceSpan[], name: string, runId: string): TraceSpan => {
    const found = spans.filter((s) => s.name === name && s.attributes['weaver.run.id'] === runId);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  /** The span's ancestors, nearest first. */
  const ancestors = (spans: TraceSpan[], span: TraceSpan): TraceSpan[] => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const out: TraceSpan[] = [];
    for (let p = span.parentId && byId.get(span.parentId); p; p = p.parentId ? byId.get(p.parentId) : undefined) out.push(p);
    return out;
  };

  it('gives each run one trace: intake → dispatch → each step → its model call, parents linked across Kafka and gRPC', async () => {
    const runId = await runToCompletion('tracing');
    const { ids, spans } = await traceOfRun(runId);
    expect(ids).toHaveLength(1);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(ids));

    // Intake: the gateway's span, under its HTTP server span.
    const intake = one(spans, 'run.start', runId);
    expect(intake.service).toBe('gateway');
    expect(intake.attributes).toMatchObject({ 'weaver.tenant.id': tenant.tenantId, 'weaver.workflow': 'content-pipeline' });
    expect(ancestors(spans, intake).map((s) => s.kind)).toContain('server');

    // Across Kafka: each hop's span is the child of the span that produced its event.
    const dispatch = one(spans, 'dispatch run', runId);
    expect(dispatch).toMatchObject({ service: 'agent-runner', kind: 'consumer', parentId: intake.spanId });
    expect(dispatch.attributes).toMatchObject({ 'messaging.system': 'kafka', 'weaver.event.type': 'run.requested' });
    let parent = dispatch;
    for (const agent of AGENTS) {
      const step = one(spans, `step ${agent}`, runId);
      expect(step).toMatchObject({ service: 'agent-runner', kind: 'consumer', parentId: parent.spanId });
      expect(step.attributes).toMatchObject({ 'weaver.agent': agent, 'weaver.step': agent, 'weaver.tenant.id': tenant.tenantId, 'messaging.consumer.group.name': expect.stringContaining(agent) });
      parent = step;
    }

    // Each step's model call: in the router, below that step (through the gRPC client and
    // server spans and nothing else), with the GenAI conventions, tokens and cost.
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.map((c) => c.attributes['weaver.agent']).sort()).toEqual([...AGENTS].sort());
    for (const chat of chats) {
      expect(chat).toMatchObject({ service: 'router', name: 'chat auto', kind: 'client' });
      expect(chat.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai-compatible',
        'gen_ai.system': 'openai-compatible',
        'gen_ai.request.model': 'auto',
        'gen_ai.response.model': 'external',
        'weaver.run.id': runId,
      });
      for (const key of ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'weaver.cost.usd']) expect(chat.attributes[key]).toBeGreaterThan(0);
      const up = ancestors(spans, chat);
      const stepAt = up.findIndex((s) => s.name.startsWith('step '));
      expect(up[stepAt]?.name).toBe(`step ${chat.attributes['weaver.agent']}`);
      const between = up.slice(0, stepAt);
      expect(between.length).toBeGreaterThan(0);
      expect(between.every((s) => s.attributes['rpc.system'] === 'grpc')).toBe(true);
      expect(between.map((s) => s.service)).toEqual(expect.arrayContaining(['router', 'agent-runner']));
    }
  }, 120_000);

  it('keeps runs apart: two concurrent runs (REST and gRPC intake), two traces, none of one run\'s spans in the other\'s', async () => {
    const [a, b] = await Promise.all([runToCompletion('alpha'), grpcRunToCompletion('beta')]);
    const [ta, tb] = await Promise.all([traceOfRun(a), traceOfRun(b)]);
    expect(ta.ids[0]).not.toBe(tb.ids[0]);
    // gRPC intake: run.start sits under the gateway's gRPC server span.
    const intake = one(tb.spans, 'run.start', b);
    expect(ancestors(tb.spans, intake).find((s) => s.kind === 'server')).toMatchObject({ service: 'gateway', attributes: expect.objectContaining({ 'rpc.system': 'grpc' }) });
    for (const [trace, runId] of [[ta, a], [tb, b]] as const) {
      const runIds = new Set(trace.spans.map((s) => s.attributes['weaver.run.id']).filter((v) => v !== undefined));
      expect(runIds).toEqual(new Set([runId]));
    }
  }, 120_000);
});
