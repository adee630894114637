/**
 * Benchmark: what tracing adds to one agent step, off vs on, in one run.
 *   node -r @swc-node/register tools/bench/tracing.ts [--seconds 3] [--outputs 3]
 * A "step" here is everything the tracing code adds on a step's path, around a handler that
 * does nothing (awaits one tick): the event layer's consumer span with the parent extracted
 * from the record headers (consumeSpan), the step executor naming it (labelStepSpan), the
 * router's GenAI span with its attributes (inModelCallSpan + recordModelCall: in the router
 * process in reality, counted here so one number covers a step's whole tracing cost), and the
 * trace headers on the step's output records (traceRecords). First with tracing off (as a
 * service runs without OTEL_EXPORTER_OTLP_ENDPOINT), then on: the real SDK, BatchSpanProcessor
 * and OTLP/HTTP protobuf exporter sending to a loopback sink in this process (so the export's
 * CPU is in the numbers too), plus the AsyncLocalStorage context manager it registers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { labelStepSpan } from '../../libs/agent-runtime/src/step-span';
import { consumeSpan, envelopeRecord, newEnvelope, traceRecords, type InboundRecord, type OutboundRecord } from '../../libs/messaging/src';
import { inModelCallSpan, recordModelCall } from '../../libs/model-router/src/model-call-span';
import { loadTracingConfig, startTracing } from '../../libs/observability/src';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 3);
const OUTPUTS = arg('outputs', 3);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const env = newEnvelope({ tenantId: '8f0c7a2e-2d4b-4c55-9a55-6f1d8e0b1a11', runId: '3b1f9f1e-7d0a-4a57-8f3a-2b9e1c0d4e22', workflow: 'content-pipeline', type: 'content.requested', producer: 'dispatcher', payload: { topic: 'bench' } });
const caller = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, agent: 'researcher', step: 'researcher', classification: [] };

/** The record a step consumes: carrying a producer's traceparent when `traced`. */
function inbound(traced: boolean): InboundRecord {
  const rec = envelopeRecord(env, 'weaver.evt.content.requested.v1');
  const headers = { ...rec.headers, ...(traced ? { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } : {}) };
  return { topic: rec.topic, partition: 0, offset: '42', key: rec.key, value: rec.value, headers, timestamp: String(Date.now()) };
}

const outputs: OutboundRecord[] = Array.from({ length: OUTPUTS }, (_, i) => envelopeRecord(newEnvelope({ ...caller, type: 'content.researched', producer: 'researcher@1.0.0', payload: { i } }), 'weaver.evt.content.researched.v1'));

async function step(record: InboundRecord): Promise<OutboundRecord[]> {
  return consumeSpan(record, 'weaver.agent.researcher', async () => {
    labelStepSpan('step researcher', env, { 'weaver.step': 'researcher', 'weaver.agent': 'researcher', 'weaver.attempt': 1 });
    await inModelCallSpan('chat', caller, async (span) => {
      await Promise.resolve(); // the model call itself: not what is measured
      recordModelCall(span, { model: 'external', provider: 'openai-compatible', inputTokens: 120, outputTokens: 80, costUsd: 0.00028, replayed: false, cached: false, finishReason: 'stop' });
    });
    return traceRecords(outputs);
  });
}

/** The same step without any tracing code: the baseline the off path is compared with. */
async function bareStep(): Promise<OutboundRecord[]> {
  await Promise.resolve();
  return outputs;
}

/**
 * Steps back to back, yielding to the event loop every 100 (as real steps do, waiting on the
 * broker and the router), so the batch processor's exports go out during the measurement.
 */
async function usPerStep(run: () => Promise<unknown>): Promise<{ us: number; steps: number }> {
  for (let i = 0; i < 2_000; i++) await run(); // warm up
  let n = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) await run();
    n += 100;
    await new Promise((r) => setImmediate(r));
  }
  return { us: ((performance.now() - started) * 1000) / n, steps: n };
}

async function main(): Promise<void> {
  let exportBytes = 0;
  let exports = 0;
  const sink = createServer((req, res) => {
    req.on('data', (d: Buffer) => (exportBytes += d.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as AddressInfo).port;

  const record = inbound(true);
  const bare = await usPerStep(bareStep);
  const off = await usPerStep(() => step(record));
  const tracing = startTracing('bench', loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }));
  const on = await usPerStep(() => step(record));
  await tracing.shutdown();
  await new Promise<void>((r) => sink.close(() => r()));

  say(`tracing per step (consumer span + step labels + GenAI span + trace headers on ${OUTPUTS} outputs), ${SECONDS}s each:`);
  say(`  no tracing code: ${bare.us.toFixed(2)} us/step  (${bare.steps} steps)`);
  say(`  tracing off:     ${off.us.toFixed(2)} us/step  (${off.steps} steps)  → the off path adds ${(off.us - bare.us).toFixed(2)} us`);
  say(`  tracing on:      ${on.us.toFixed(2)} us/step  (${on.steps} steps; 2 spans/step, ${exports} OTLP requests, ${(exportBytes / on.steps).toFixed(0)} bytes/step exported)`);
  say(`  added by tracing on: ${(on.us - off.us).toFixed(2)} us/step`);
}

void main();
