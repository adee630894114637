import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createKafka, decodeEnvelope, envelopeRecord, EventProducer, newEnvelope, TopicNames, TopicTail } from '@weaver/messaging';
import { createLogger } from '@weaver/observability';
import { type RunningStack, startTestStack } from '@weaver/stack';

/** How often the load starts a run, alternating REST (through the gateway's ingress) and a Kafka trigger. */
const START_EVERY_MS = 400;

interface Started {
  runId: string;
  via: 'rest' | 'kafka';
}

/**
 * Availability under change: every process of a replicated stack (two of each service behind
 * readiness-gated balancers, two runners in the consumer groups) restarted one at a time under
 * steady load — 0 failed requests, and every started run completes exactly once.
 */
describe('rolling restart of every service under load', () => {
  let stack: RunningStack & { namespace: string };
  let tenant: { tenantId: string; apiKey: string };
  let owner: Pool;
  let tail: TopicTail;
  let producer: EventProducer;
  const completions = new Map<string, number>();

  beforeAll(async () => {
    stack = await startTestStack('rolling-restart', { replicated: true });
    tenant = await stack.createTenant('steady');
    owner = new Pool({ connectionString: stack.ownerUrl, max: 2 });
    const kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'e2e-rolling-restart' });
    // Every run.completed on the runs topic (read-committed): a run completed twice would show here.
    tail = new TopicTail(kafka, new TopicNames(stack.namespace).runs, (record) => {
      const env = decodeEnvelope(record);
      if (env.type === 'run.completed') completions.set(env.runId, (completions.get(env.runId) ?? 0) + 1);
    }, createLogger('e2e-rolling-restart', { level: 'silent' }));
    await tail.start();
    producer = new EventProducer(kafka);
    await producer.connect();
  }, 300_000);

  afterAll(async () => {
    await tail?.stop();
    await producer?.disconnect();
    await owner?.end();
    await stack?.stop();
  });

  async function startOne(i: number, failures: string[]): Promise<Started | undefined> {
    if (i % 2 === 1) {
      const runId = randomUUID();
      const trigger = newEnvelope({ tenantId: tenant.tenantId, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'load', payload: { input: { topic: `kafka ${i}` } } });
      await producer.send([envelopeRecord(trigger, new TopicNames(stack.namespace).triggers)]);
      return { runId, via: 'kafka' };
    }
    try {
      const res = await fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` }, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: `rest ${i}` } }) });
      if (res.status !== 202) {
        failures.push(`POST /v1/runs #${i}: ${res.status} ${await res.text()}`);
        return undefined;
      }
      return { runId: ((await res.json()) as { run: { runId: string } }).run.runId, via: 'rest' };
    } catch (err) {
      failures.push(`POST /v1/runs #${i}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
      return undefined;
    }
  }

  async function statusCounts(runIds: string[]): Promise<Record<string, number>> {
    const { rows } = await owner.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM runs.runs WHERE tenant_id = $1 AND run_id = ANY($2::uuid[]) GROUP BY status', [tenant.tenantId, runIds]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  it('restarts all twelve processes one at a time with 0 failed requests, 0 lost and 0 duplicated runs', async () => {
    const failures: string[] = [];
    const started: Started[] = [];
    const pending: Array<Promise<void>> = [];
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading; i++) {
        pending.push(startOne(i, failures).then((s) => void (s && started.push(s))));
        await new Promise((r) => setTimeout(r, START_EVERY_MS));
      }
    })();

    const restarted: Array<{ process: string; exitCode: number | null }> = [];
    await stack.rollingRestart((p, exitCode) => restarted.push({ process: p.spec.name, exitCode }));
    loading = false;
    await load;
    await Promise.all(pending);

    const runIds = started.map((s) => s.runId);
    // Every started run completes (waited on as a condition, bounded by the test timeout).
    for (;;) {
      const counts = await statusCounts(runIds);
      if ((counts['completed'] ?? 0) + (counts['failed'] ?? 0) === runIds.length && runIds.every((id) => completions.has(id))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const counts = await statusCounts(runIds);
    const { rows: steps } = await owner.query<{ run_id: string; steps: number; failed: number }>(
      `SELECT run_id, count(*)::int AS steps, count(*) FILTER (WHERE status <> 'completed')::int AS failed FROM runs.steps WHERE tenant_id = $1 AND run_id = ANY($2::uuid[]) GROUP BY run_id`,
      [tenant.tenantId, runIds],
    );
    const stepCounts = new Set(steps.map((s) => s.steps));
    const duplicated = runIds.filter((id) => completions.get(id) !== 1);
    const processes = stack.processes().length;
    // What was measured, for the report.
    process.stdout.write(`rolling restart: ${JSON.stringify({ started: runIds.length, rest: started.filter((s) => s.via === 'rest').length, kafka: started.filter((s) => s.via === 'kafka').length, counts, failures: failures.length, duplicated: duplicated.length, restarted, stepCounts: [...stepCounts], processes })}\n`);

    expect(restarted).toHaveLength(12);
    expect(restarted.every((r) => r.exitCode === 0)).toBe(true);
    expect(failures).toEqual([]);
    expect(runIds.length).toBeGreaterThan(12);
    expect(counts).toEqual({ completed: runIds.length });
    expect(duplicated).toEqual([]);
    expect(steps).toHaveLength(runIds.length);
    expect(stepCounts.size).toBe(1);
    expect(steps.filter((s) => s.failed > 0)).toEqual([]);
  }, 900_000);
});
