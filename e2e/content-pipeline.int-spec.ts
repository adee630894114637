import { randomUUID } from 'node:crypto';
import { GRPC_SERVICES, type gateway } from '@weaver/contracts';
import { createKafka, envelopeRecord, EventProducer, newEnvelope, TopicNames } from '@weaver/messaging';
import { apiKeyMetadata, grpcClient, unary } from '@weaver/service-kit';
import { lastValueFrom, toArray } from 'rxjs';
import { type RunningStack, startTestStack } from '@weaver/stack';

/** This file's topic and group names; set once its namespace is known. */
let names = new TopicNames();

interface RunView {
  runId: string;
  status: string;
  result: unknown;
  error: string | null;
  failedStep: string | null;
  steps: Array<{ step: string; agent: string; status: string; durationMs: number; startedAt: string; finishedAt: string }>;
}

/**
 * The content pipeline through all six real services: started over REST, gRPC and a plain
 * Kafka producer; read back over REST, SSE and gRPC; API keys resolved by the tenancy service.
 */
describe('content pipeline end to end', () => {
  let stack: RunningStack & { namespace: string };
  let acme: { tenantId: string; apiKey: string };
  let globex: { tenantId: string; apiKey: string };
  let grpc: { client: gateway.GatewayServiceClient; close(): void };

  beforeAll(async () => {
    stack = await startTestStack('content-pipeline');
    names = new TopicNames(stack.namespace);
    acme = await stack.createTenant('acme');
    globex = await stack.createTenant('globex');
    // The gateway's gRPC is TLS (its certificate from the stack's CA); the API key authenticates the tenant.
    grpc = grpcClient<gateway.GatewayServiceClient>(GRPC_SERVICES.gateway, stack.gatewayGrpcUrl, stack.operatorSecurity(), { deadlineMs: 30_000 });
  }, 180_000);

  afterAll(async () => {
    grpc?.close();
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers } });

  async function waitForRun(key: string, runId: string, until: (r: RunView) => boolean = (r) => r.status === 'completed' || r.status === 'failed'): Promise<RunView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await http(`/v1/runs/${runId}`, { key });
      if (res.status === 200) {
        const { run } = (await res.json()) as { run: RunView };
        if (until(run)) return run;
      }
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('refuses requests without a valid key (401) and hides other tenants\' runs (404)', async () => {
    expect((await http('/v1/runs', { method: 'POST', body: JSON.stringify({ workflow: 'content-pipeline', input: {} }) })).status).toBe(401);
    expect((await http('/v1/runs', { key: 'wv_not-a-key' })).status).toBe(401);
    const started = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'tenancy' } }) });
    const { run } = (await started.json()) as { run: RunView };
    expect((await http(`/v1/runs/${run.runId}`, { key: globex.apiKey })).status).toBe(404);
    await expect(unary(grpc.client.getRun({ runId: run.runId }, apiKeyMetadata(globex.apiKey)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(unary(grpc.client.getRun({ runId: run.runId }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('runs over REST, streams progress over SSE, and shows the timeline and result', async () => {
    const res = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'AI Safety' } }) });
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: RunView };
    const sse = await http(`/v1/runs/${run.runId}/events`, { key: acme.apiKey });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const kinds = (await sse.text()).split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    expect(kinds[0]).toBe('snapshot');
    expect(kinds[kinds.length - 1]).toBe('run.completed');
    const done = await waitForRun(acme.apiKey, run.runId);
    expect(done.status).toBe('completed');
    expect(done.steps.map((s) => [s.step, s.agent, s.status])).toEqual([
      ['researcher', 'researcher', 'completed'],
      ['writer', 'writer', 'completed'],
      ['reviewer', 'reviewer', 'completed'],
    ]);
    for (const s of done.steps) expect(Date.parse(s.finishedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    const result = (await (await http(`/v1/runs/${run.runId}/result`, { key: acme.apiKey })).json()) as { result: { topic: string; approved: boolean } };
    expect(result.result).toMatchObject({ topic: 'AI Safety', approved: true });
  });

  it('runs over gRPC StartRun, GetRun and StreamRun', async () => {
    const md = apiKeyMetadata(acme.apiKey);
    const started = await unary(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: JSON.stringify({ topic: 'gRPC' }), classification: [] }, md));
    expect(started.created).toBe(true);
    const runId = started.run!.runId;
    const events = await lastValueFrom(grpc.client.streamRun({ runId }, md).pipe(toArray()));
    expect(events[0]!.event!.kind).toBe('RUN_EVENT_KIND_SNAPSHOT');
    expect(events[events.length - 1]!.event!.kind).toBe('RUN_EVENT_KIND_RUN_COMPLETED');
    const { run } = await unary(grpc.client.getRun({ runId }, md));
    expect(run!.status).toBe('RUN_STATUS_COMPLETED');
    expect(run!.steps.map((s) => s.agent)).toEqual(['researcher', 'writer', 'reviewer']);
    expect(JSON.parse(run!.resultJson)).toMatchObject({ topic: 'gRPC' });
    const again = await unary(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: JSON.stringify({ topic: 'gRPC' }), runId, classification: [] }, md));
    expect(again.created).toBe(false); // idempotent resubmission
  });

  it('runs from a trigger any Kafka producer writes to the triggers topic', async () => {
    const kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'e2e-producer' });
    const producer = new EventProducer(kafka);
    const runId = randomUUID();
    const trigger = newEnvelope({ tenantId: acme.tenantId, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'external-app', payload: { input: { topic: 'Kafka' } } });
    await producer.send([envelopeRecord(trigger, names.triggers)]);
    await producer.disconnect();
    const done = await waitForRun(acme.apiKey, runId);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ topic: 'Kafka' });
  });

  it('names the field and rule of bad input, and fails a run whose input breaks the agent schema', async () => {
    const bad = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'Content Pipeline!' }) });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { details: { violations: Array<{ field: string }> } } };
    expect(body.error.details.violations.map((v) => v.field)).toEqual(['workflow', 'input']);
    const res = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: '' } }) });
    const { run } = (await res.json()) as { run: RunView };
    const failed = await waitForRun(acme.apiKey, run.runId);
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'researcher' });
    expect(failed.error).toContain('input.topic');

    // The dead letter can be re-driven by an operator (admin token); here the cause is not
    // fixed, so the replayed step fails again and stays failed (messaging tests cover a fix).
    const group = `${stack.namespace}.weaver.agent.researcher`;
    expect((await http(`/v1/dlq/${group}/replay`, { method: 'POST', body: '{}' })).status).toBe(401);
    const replay = await http(`/v1/dlq/${group}/replay`, { method: 'POST', body: '{}', headers: { 'x-admin-token': stack.adminToken } });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ replayed: 1, skipped: 0 });
    const again = await waitForRun(acme.apiKey, run.runId, (r) => r.status === 'failed');
    expect(again.failedStep).toBe('researcher');
  });
});
