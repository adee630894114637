import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { OpenAIWireServer } from '@weaver/testing';

/** A model behind the OpenAI wire format, so the test decides when its stream goes on. */
const MODELS = (endpoint: string) => `
version: 1
models:
  - name: story-model
    provider: openai-compatible
    endpoint: ${endpoint}
    capabilities: [text, streaming, embeddings]
    max_context: 4096
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
`;

interface SseEvent {
  kind: string;
  step?: string;
  delta?: string;
  seq?: number;
}

/** Reads an SSE response as it arrives: `next(kind)` resolves with the next event of that kind. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const seen: SseEvent[] = [];
  const waiters: Array<{ kind: string; from: number; resolve: (e: SseEvent) => void }> = [];
  const deliver = (): void => {
    for (const w of [...waiters]) {
      const hit = seen.slice(w.from).find((e) => e.kind === w.kind);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const bytes of body) {
      buffer += decoder.decode(bytes, { stream: true });
      for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, at).split('\n').find((l) => l.startsWith('data: '));
        buffer = buffer.slice(at + 2);
        if (data) seen.push(JSON.parse(data.slice(6)) as SseEvent);
      }
      deliver();
    }
  })();
  return {
    seen,
    done,
    next: (kind: string) => new Promise<SseEvent>((resolve) => (waiters.push({ kind, from: seen.length, resolve }), deliver())),
  };
}

/**
 * `this.llm.stream` end to end: the agent's tokens reach an SSE client as `step.delta` events
 * while the step still runs (its provider stream is held mid-way by the test), before the
 * step's `step.completed`; the deltas add up to the step's result.
 */
describe('streamed LLM tokens on the run\'s SSE stream', () => {
  let stack: RunningStack & { namespace: string };
  let provider: OpenAIWireServer;
  let tenant: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    provider = await new OpenAIWireServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'weaver-llm-e2e-'));
    const modelsFile = join(dir, 'models.yaml');
    writeFileSync(modelsFile, MODELS(`${provider.url}/v1`));
    stack = await startTestStack('llm-streaming', { workflows: ['e2e/fixtures/streaming.workflow.ts'], env: { router: { ROUTER_MODELS_FILE: modelsFile } } });
    tenant = await stack.createTenant('storyteller');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await provider?.stop();
  });

  const http = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}`, ...init.headers } });

  it('sends deltas to an SSE client before the step completes, and they add up to its result', async () => {
    // The model call waits at the provider until the SSE client is subscribed (no race, no timer).
    const request = provider.holdNext('/chat/completions');
    const started = await http('/v1/runs', { method: 'POST', body: JSON.stringify({ workflow: 'streaming-story', input: { topic: 'a careful lighthouse keeper' } }) });
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { runId: string } };
    const sse = await http(`/v1/runs/${run.runId}/events`);
    const events = sseReader(sse.body!);
    await events.next('snapshot'); // subscribed: the hub delivers from here on
    await request.reached;
    // Let the answer start, then hold it after three pieces: the step is still running.
    const midway = provider.holdStreams(3);
    request.release();
    await midway.reached;
    const first = await events.next('step.delta');
    expect(first).toMatchObject({ step: 'narrator', seq: 1, delta: expect.stringMatching(/^echo\(story-model\): Tell /) });
    expect(events.seen.some((e) => e.kind === 'step.completed')).toBe(false);
    const inFlight = (await (await http(`/v1/runs/${run.runId}`)).json()) as { run: { status: string; steps: unknown[] } };
    expect(inFlight.run.steps).toEqual([]); // no step recorded yet
    expect(['pending', 'running']).toContain(inFlight.run.status);

    midway.release();
    await events.next('run.completed');
    await events.done;
    const kinds = events.seen.map((e) => e.kind);
    expect(kinds.lastIndexOf('step.delta')).toBeLessThan(kinds.indexOf('step.completed'));
    const streamed = events.seen.filter((e) => e.kind === 'step.delta');
    expect(streamed.map((e) => e.seq)).toEqual(streamed.map((_, i) => i + 1));
    const result = (await (await http(`/v1/runs/${run.runId}/result`)).json()) as { result: { text: string; dimensions: number; replayed: boolean } };
    expect(result.result).toEqual({ text: 'echo(story-model): Tell a story about a careful lighthouse keeper', dimensions: 8, replayed: false });
    expect(streamed.map((e) => e.delta).join('')).toBe(result.result.text);
  });
});
